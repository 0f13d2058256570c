package store

// AttributeValue returns the value of the named attribute, "" when absent.
func AttributeValue(attrs []Attribute, name string) string {
	for _, a := range attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// SetAttribute sets the named attribute to value in place, or appends it: the order of
// attrs is kept.
func SetAttribute(attrs []Attribute, name, value string) []Attribute {
	for i := range attrs {
		if attrs[i].Name == name {
			attrs[i].Value = value
			return attrs
		}
	}
	return append(attrs, Attribute{Name: name, Value: value})
}
