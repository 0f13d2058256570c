package sqlstore

import (
	"crypto/sha256"
	"encoding/hex"
	"unicode/utf8"
)

// maxIndexedValue bounds an attribute value as user_attributes stores it. Cognito allows
// attribute values of 2,048 characters, up to 8 KB in UTF-8, while a PostgreSQL btree index row
// may not exceed about 2.7 KB. A longer value is indexed as its first maxIndexedValue bytes (cut
// at a character boundary), a \x01 byte and the hex SHA-256 of the whole value: equality stays
// exact (no short value is that long, and the hash tells long values apart), and a prefix of
// up to maxIndexedValue bytes still selects by range. ListUsers filters are at most 256
// characters (service model: ListUsersRequest.Filter), so every prefix fits.
const maxIndexedValue = 1024

// indexValue is the form of an attribute value in user_attributes.
func indexValue(v string) string {
	if len(v) <= maxIndexedValue {
		return v
	}
	cut := maxIndexedValue
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	sum := sha256.Sum256([]byte(v))
	return v[:cut] + "\x01" + hex.EncodeToString(sum[:])
}
