package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// TOTPCode is the code an authenticator app shows at t for secret: RFC 6238 with the
// parameters Tessera uses (and apps expect): HMAC-SHA1, 30-second steps, 6 digits.
func TOTPCode(secret []byte, t time.Time) string {
	var counter [8]byte
	binary.BigEndian.PutUint64(counter[:], uint64(t.Unix()/30))
	mac := hmac.New(sha1.New, secret)
	mac.Write(counter[:])
	sum := mac.Sum(nil)
	// RFC 4226 dynamic truncation: 31 bits from the offset the last nibble names.
	offset := sum[len(sum)-1] & 0x0f
	number := binary.BigEndian.Uint32(sum[offset:offset+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", number%1_000_000)
}

// DecodeTOTPSecret reads a secret as BeginTotpEnrollment returns it (base32, no padding);
// spaces, lower case and padding, as people type it in, are accepted.
func DecodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.TrimRight(strings.ToUpper(strings.ReplaceAll(secret, " ", "")), "=")
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
}
