package model

import "strings"

// maxRendered bounds how much of a value one message echoes (in bytes, cut at a character
// boundary). Coral echoes values whole; a 1 MiB value ten times over is not worth copying.
const maxRendered = 1024

// render writes a value the way Coral's messages show it, which is Java's toString: strings
// and numbers bare, lists "[a, b]", maps "{k=v, k2=v2}" (aws/aws-cdk#31795). How Coral shows
// a structure is not known; it is written like a map of its present members.
func render(n *node, sh *shape) string {
	var b strings.Builder
	write(&b, n, sh)
	s := b.String()
	if len(s) > maxRendered {
		cut := maxRendered
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

func isRuneStart(c byte) bool { return c&0xC0 != 0x80 }

func write(b *strings.Builder, n *node, sh *shape) {
	if b.Len() > maxRendered {
		return
	}
	switch {
	case n == nil:
		b.WriteString("null")
	case n.opaque:
		b.WriteString("...")
	case sh.kind == kindList:
		b.WriteByte('[')
		for i, item := range n.items {
			if i > 0 {
				b.WriteString(", ")
			}
			write(b, item, sh.elem)
		}
		b.WriteByte(']')
	case sh.kind == kindMap:
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(k)
			b.WriteByte('=')
			write(b, n.vals[i], sh.val)
		}
		b.WriteByte('}')
	case sh.kind == kindStructure:
		b.WriteByte('{')
		first := true
		for i, m := range sh.members {
			if n.vals[i] == nil {
				continue
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			b.WriteString(m.name)
			b.WriteByte('=')
			write(b, n.vals[i], m.shape)
		}
		b.WriteByte('}')
	default:
		b.WriteString(n.str)
	}
}
