package model

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/internal/awsapi"
)

// maxReported caps the messages in one error. Coral lists every failure; the count in
// "N validation errors detected" stays exact, only the list stops.
const maxReported = 10

// checker collects constraint failures in Coral's words. The message forms, as real
// services answer them:
//
//	1 validation error detected: Value ' ap-northeast-1_xxx' at 'userPoolId' failed to satisfy
//	constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+
//	(ListGroups, aws/aws-sdk-js#3344; AdminConfirmSignUp alike in anomalyco/guide#127)
//
//	4 validation errors detected: Value 'MapEntry(…)' at 'userAttributes.1.member.name' failed
//	to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}…]+; Value
//	'MapEntry(…)' at 'userAttributes.1.member.name' failed to satisfy constraint: Member must
//	have length less than or equal to 32; … (SignUp, aws-amplify/amplify-flutter#3125): lists
//	are 1-based with ".member"; a value failing several constraints is reported once per
//	constraint, the pattern before the length.
//
//	1 validation error detected: Value at 'username' failed to satisfy constraint: Member must
//	satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+ (ForgotPassword,
//	massif-press/compcon#1951): a sensitive value is left out, also when it is empty
//	(ks888/LambStatus#6).
//
//	Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater
//	than or equal to 1 (ListResourceServers, aws/aws-cli#5843): numbers are quoted too.
//
//	Value null at 'sub' failed to satisfy constraint: Member must not be null
//	(amazon-archives/amazon-cognito-auth-js#65).
//
//	Value '[ADMIN_USER_PASSWORD_AUTH]' at 'explicitAuthFlows' failed to satisfy constraint:
//	Member must satisfy constraint: [Member must satisfy enum value set: [ALLOW_CUSTOM_AUTH,
//	…]] (aws-solutions/media-insights-on-aws#199) and "Member must satisfy constraint:
//	[Member must have length less than or equal to 1024, Member must have length greater than
//	or equal to 1, Member must satisfy regular expression pattern: …]" (callbackURLs,
//	aws/aws-cli#2941): a list of scalars is reported once, at the list, listing every
//	constraint of its member shape.
//
//	Value '{accounts.google.com=…, graph.facebook.com=… }' at 'supportedLoginProviders' failed
//	to satisfy constraint: Map value must satisfy constraint: [Member must have length less
//	than or equal to 128, …] (cognito-identity, aws/aws-cdk#31795), and "Map keys must satisfy
//	constraint: [...]" alike.
type checker struct {
	msgs  []string
	count int
}

func (c *checker) result(errorType string) *awsapi.Error {
	if c.count == 0 {
		return nil
	}
	s := "s"
	if c.count == 1 {
		s = ""
	}
	msg := fmt.Sprintf("%d validation error%s detected: %s", c.count, s, strings.Join(c.msgs, "; "))
	return &awsapi.Error{Type: errorType, Message: msg, Status: http.StatusBadRequest}
}

// fail records one failure of constraint by the value n (nil: null) at path.
func (c *checker) fail(path string, n *node, sh *shape, sensitive bool, constraint string) {
	c.count++
	if len(c.msgs) >= maxReported {
		return
	}
	var v string
	switch {
	case n == nil:
		v = "Value null"
	case sensitive:
		v = "Value"
	default:
		v = "Value '" + render(n, sh) + "'"
	}
	c.msgs = append(c.msgs, v+" at '"+path+"' failed to satisfy constraint: "+constraint)
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func (c *checker) structure(sh *shape, n *node, path string, sensitive bool, depth int) {
	if n == nil || n.opaque || depth > maxDepth {
		return
	}
	for i, m := range sh.members {
		p := join(path, m.path)
		child := n.vals[i]
		if child == nil {
			if m.required {
				c.fail(p, nil, m.shape, false, "Member must not be null")
			}
			continue
		}
		c.value(m.shape, child, p, sensitive || m.shape.sensitive, depth+1)
	}
}

func (c *checker) value(sh *shape, n *node, path string, sensitive bool, depth int) {
	if n.opaque || depth > maxDepth {
		return
	}
	switch sh.kind {
	case kindStructure:
		c.structure(sh, n, path, sensitive, depth)
	case kindList:
		c.list(sh, n, path, sensitive, depth)
	case kindMap:
		c.mapping(sh, n, path, sensitive, depth)
	default:
		for _, f := range failures(sh, n) {
			c.fail(path, n, sh, sensitive, f)
		}
	}
}

func (c *checker) list(sh *shape, n *node, path string, sensitive bool, depth int) {
	elemSensitive := sensitive || sh.elem.sensitive
	c.members(sh, n, sh.elem, n.items, len(n.items), path, "Member", elemSensitive, elemSensitive, depth,
		func(i int) string { return strconv.Itoa(i + 1) })
}

func (c *checker) mapping(sh *shape, n *node, path string, sensitive bool, depth int) {
	all := sensitive || sh.key.sensitive || sh.val.sensitive
	for _, k := range n.keys {
		if len(failures(sh.key, &node{str: k})) > 0 {
			c.fail(path, n, sh, all, "Map keys must satisfy constraint: "+sh.key.bracket)
			break
		}
	}
	c.members(sh, n, sh.val, n.vals, len(n.keys), path, "Map value", all, sensitive || sh.val.sensitive, depth,
		func(i int) string { return n.keys[i] })
}

// members checks the elements (elem) of a list, or the values of a map, in the order AWS
// reports them: scalar elements that break their constraints give one failure for the
// whole collection ("<what> must satisfy constraint: ...") before its length failures
// (count elements); other elements are checked one by one after those, each at its own
// path (path.<at(i)>.member). failSensitive applies to the collection's failures,
// elemSensitive to each element's.
func (c *checker) members(sh *shape, n *node, elem *shape, items []*node, count int, path, what string,
	failSensitive, elemSensitive bool, depth int, at func(i int) string) {
	if scalarKind(elem.kind) {
		for _, item := range items {
			if item != nil && len(failures(elem, item)) > 0 {
				c.fail(path, n, sh, failSensitive, what+" must satisfy constraint: "+elem.bracket)
				break
			}
		}
	}
	for _, f := range lengthFailures(sh, count) {
		c.fail(path, n, sh, failSensitive, f)
	}
	if !scalarKind(elem.kind) {
		for i, item := range items {
			if item != nil {
				c.value(elem, item, path+"."+at(i)+".member", elemSensitive, depth+1)
			}
		}
	}
}

func scalarKind(k kind) bool {
	return k != kindStructure && k != kindList && k != kindMap && k != kindDocument
}

// failures lists the constraints a scalar value breaks, in Coral's order: the pattern before
// the length (amplify-flutter#3125; DynamoDB answers ” for a table name the same way in
// mhart/dynalite's tests), then the enum. Lengths count Unicode code points; Java counts
// UTF-16 units, so the two differ only for characters outside the Basic Multilingual Plane.
func failures(sh *shape, n *node) []string {
	if n.opaque {
		return nil
	}
	if n.malformed != "" {
		return []string{n.malformed}
	}
	var out []string
	switch sh.kind {
	case kindString:
		if sh.re != nil && !sh.re.MatchString(n.str) {
			out = append(out, "Member must satisfy regular expression pattern: "+sh.pattern)
		}
		out = append(out, lengthFailures(sh, utf8.RuneCountInString(n.str))...)
		if sh.enumSet != nil && !sh.enumSet[n.str] {
			out = append(out, "Member must satisfy enum value set: ["+strings.Join(sh.enum, ", ")+"]")
		}
	case kindBlob:
		out = append(out, lengthFailures(sh, n.bytes)...)
	case kindInteger, kindLong:
		if sh.min != nil && n.num < *sh.min {
			out = append(out, "Member must have value greater than or equal to "+strconv.FormatInt(*sh.min, 10))
		}
		if sh.max != nil && n.num > *sh.max {
			out = append(out, "Member must have value less than or equal to "+strconv.FormatInt(*sh.max, 10))
		}
	}
	return out
}

// lengthFailures checks a string's, blob's, list's or map's length.
func lengthFailures(sh *shape, length int) []string {
	var out []string
	if sh.min != nil && int64(length) < *sh.min {
		out = append(out, "Member must have length greater than or equal to "+strconv.FormatInt(*sh.min, 10))
	}
	if sh.max != nil && int64(length) > *sh.max {
		out = append(out, "Member must have length less than or equal to "+strconv.FormatInt(*sh.max, 10))
	}
	return out
}

// bracket lists every constraint of an element shape as Coral quotes it in "Member must
// satisfy constraint: [...]": maximum, minimum, pattern (aws/aws-cli#2941, aws/aws-cdk#31795),
// then the enum.
func bracket(sh *shape) string {
	var cs []string
	unit := "length"
	if sh.kind == kindInteger || sh.kind == kindLong || sh.kind == kindDouble {
		unit = "value"
	}
	if sh.max != nil {
		cs = append(cs, "Member must have "+unit+" less than or equal to "+strconv.FormatInt(*sh.max, 10))
	}
	if sh.min != nil {
		cs = append(cs, "Member must have "+unit+" greater than or equal to "+strconv.FormatInt(*sh.min, 10))
	}
	if sh.pattern != "" {
		cs = append(cs, "Member must satisfy regular expression pattern: "+sh.pattern)
	}
	if len(sh.enum) > 0 {
		cs = append(cs, "Member must satisfy enum value set: ["+strings.Join(sh.enum, ", ")+"]")
	}
	return "[" + strings.Join(cs, ", ") + "]"
}
