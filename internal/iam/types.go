package iam

import (
	"strings"
	"time"
)

// The response shapes of the IAM and STS models, with their members in the models' order.
// They are what the Go methods return and what the query protocol renders as XML.

// PolicyDocument is a policy document. It holds the JSON text; rendered in a response it is
// URL-encoded, as IAM returns documents ("Upon success, the response includes the same
// policy as a URL-encoded JSON string", API_GetRolePolicy and the CreateRole example).
type PolicyDocument string

// MarshalText percent-encodes every byte but the unreserved ones (RFC 3986 §2.3), spaces as
// %20: clients decode with a plain percent-decoder (botocore's unquote), not form decoding.
func (d PolicyDocument) MarshalText() ([]byte, error) {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(d) * 3 / 2)
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return []byte(b.String()), nil
}

// Role is the model's Role.
type Role struct {
	Path                     string         `xml:"Path"`
	RoleName                 string         `xml:"RoleName"`
	RoleID                   string         `xml:"RoleId"`
	Arn                      string         `xml:"Arn"`
	CreateDate               time.Time      `xml:"CreateDate"`
	AssumeRolePolicyDocument PolicyDocument `xml:"AssumeRolePolicyDocument,omitempty"`
	Description              string         `xml:"Description,omitempty"`
	MaxSessionDuration       int            `xml:"MaxSessionDuration,omitempty"`
}

// User is the model's User.
type User struct {
	Path       string    `xml:"Path"`
	UserName   string    `xml:"UserName"`
	UserID     string    `xml:"UserId"`
	Arn        string    `xml:"Arn"`
	CreateDate time.Time `xml:"CreateDate"`
}

// AccessKey is the model's AccessKey: a new key with its secret, shown only once.
type AccessKey struct {
	UserName        string    `xml:"UserName"`
	AccessKeyID     string    `xml:"AccessKeyId"`
	Status          string    `xml:"Status"`
	SecretAccessKey string    `xml:"SecretAccessKey"`
	CreateDate      time.Time `xml:"CreateDate"`
}

// AccessKeyMetadata is the model's AccessKeyMetadata: a key without its secret.
type AccessKeyMetadata struct {
	UserName    string    `xml:"UserName"`
	AccessKeyID string    `xml:"AccessKeyId"`
	Status      string    `xml:"Status"`
	CreateDate  time.Time `xml:"CreateDate"`
}

// List is a query-protocol list: its items each in a <member> element. The list element
// itself is always rendered, empty or not, as IAM does.
type List[T any] struct {
	Members []T `xml:"member"`
}

// Paging is the paging part of a list result.
type Paging struct {
	IsTruncated bool   `xml:"IsTruncated"`
	Marker      string `xml:"Marker,omitempty"`
}

// Status values of an access key (statusType).
const (
	StatusActive   = "Active"
	StatusInactive = "Inactive"
)
