package main

import (
	"testing"
	"time"
)

// RFC 6238 appendix B, SHA-1: its 8-digit codes end in these 6 digits.
func TestTOTPCodeMatchesRFC6238(t *testing.T) {
	// The RFC's SHA-1 key, the ASCII "12345678901234567890", as base32.
	secret, err := DecodeTOTPSecret("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")
	if err != nil || string(secret) != "12345678901234567890" {
		t.Fatalf("DecodeTOTPSecret: %q, %v", secret, err)
	}
	for unix, want := range map[int64]string{
		59:          "287082", // 94287082
		1111111109:  "081804", // 07081804
		1111111111:  "050471", // 14050471
		1234567890:  "005924", // 89005924
		2000000000:  "279037", // 69279037
		20000000000: "353130", // 65353130
	} {
		if got := TOTPCode(secret, time.Unix(unix, 0)); got != want {
			t.Errorf("TOTPCode at %d = %s, want %s", unix, got, want)
		}
	}
}
