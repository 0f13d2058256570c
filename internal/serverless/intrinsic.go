package serverless

// cfnShortTag returns the long name of a CloudFormation short-form YAML tag: !Ref is Ref,
// !Condition is Condition, the others are Fn::Name
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
func cfnShortTag(tag string) (string, bool) {
	switch tag {
	case "!Ref":
		return "Ref", true
	case "!Condition":
		return "Condition", true
	case "!GetAtt", "!Sub", "!Join", "!Select", "!Split", "!FindInMap", "!GetAZs",
		"!ImportValue", "!Base64", "!Cidr", "!If", "!Equals", "!Not", "!And", "!Or",
		"!Transform", "!ToJsonString", "!Length":
		return "Fn::" + tag[1:], true
	}
	return "", false
}
