package main

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/golang-jwt/jwt/v4"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// ErrorDomain is the google.rpc.ErrorInfo domain of Tessera's errors.
const ErrorDomain = "tessera.dev"

// AccessTokenTyp is the JOSE header typ of Tessera access tokens (RFC 9068).
const AccessTokenTyp = "at+jwt"

// WithBearer returns ctx carrying an access token as `authorization: Bearer` call metadata.
func WithBearer(ctx context.Context, accessToken string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+accessToken)
}

// CallError is what a failed call says: its status, and the reason and fields of its
// standard error details.
type CallError struct {
	Code    codes.Code
	Message string
	// Reason is google.rpc.ErrorInfo.reason, e.g. "auth.invalid_credentials"; branch on it.
	Reason string
	// Fields are the google.rpc.BadRequest field violations (INVALID_ARGUMENT), e.g. ["email"].
	Fields []string
}

// ReadError reads the status and error details of a failed call.
func ReadError(err error) CallError {
	st := status.Convert(err)
	e := CallError{Code: st.Code(), Message: st.Message()}
	for _, detail := range st.Details() {
		switch d := detail.(type) {
		case *errdetails.ErrorInfo:
			if d.Domain == ErrorDomain {
				e.Reason = d.Reason
			}
		case *errdetails.BadRequest:
			for _, v := range d.FieldViolations {
				e.Fields = append(e.Fields, v.Field)
			}
		}
	}
	return e
}

func (e CallError) Error() string {
	s := code.Code(e.Code).String()
	if e.Reason != "" {
		s += " " + e.Reason
	}
	for _, f := range e.Fields {
		s += " field " + f
	}
	return s + ": " + e.Message
}

// AccessTokenVerifier verifies access tokens locally against the service's published keys
// (JWKS), fetched when a token names a key it has not seen. Issuer is the service's configured
// public URL (TESSERA_ISSUER), not the address dialled.
type AccessTokenVerifier struct {
	JWKSURL  string
	Issuer   string
	Audience string

	mu   sync.Mutex
	keys map[string]ed25519.PublicKey
}

// Verify returns the token's claims, or an error if it is not a valid access token.
func (v *AccessTokenVerifier) Verify(token string) (*jwt.RegisteredClaims, error) {
	claims := &jwt.RegisteredClaims{}
	parser := jwt.NewParser(jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}))
	if _, err := parser.ParseWithClaims(token, claims, v.key); err != nil {
		return nil, err
	}
	switch {
	case claims.ExpiresAt == nil:
		return nil, errors.New("token has no exp")
	case !claims.VerifyIssuer(v.Issuer, true):
		return nil, fmt.Errorf("issuer is %q, not %q", claims.Issuer, v.Issuer)
	case !claims.VerifyAudience(v.Audience, true):
		return nil, fmt.Errorf("audience is %q, not %q", claims.Audience, v.Audience)
	}
	return claims, nil
}

// key is the jwt.Keyfunc: the typ must be an access token's, the kid one of the service's keys.
func (v *AccessTokenVerifier) key(t *jwt.Token) (interface{}, error) {
	if typ, _ := t.Header["typ"].(string); typ != AccessTokenTyp {
		return nil, fmt.Errorf("typ is %q, not %q", typ, AccessTokenTyp)
	}
	kid, _ := t.Header["kid"].(string)
	v.mu.Lock()
	defer v.mu.Unlock()
	if _, ok := v.keys[kid]; !ok {
		keys, err := fetchJWKS(v.JWKSURL)
		if err != nil {
			return nil, err
		}
		v.keys = keys
	}
	if key, ok := v.keys[kid]; ok {
		return key, nil
	}
	return nil, fmt.Errorf("no key %q in %s", kid, v.JWKSURL)
}

// fetchJWKS reads the Ed25519 keys of a JWK set (RFC 7517, RFC 8037) by kid.
func fetchJWKS(url string) (map[string]ed25519.PublicKey, error) {
	res, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, res.Status)
	}
	var set struct {
		Keys []struct{ Kid, Kty, Crv, X string }
	}
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	keys := map[string]ed25519.PublicKey{}
	for _, k := range set.Keys {
		x, err := base64.RawURLEncoding.DecodeString(k.X)
		if k.Kty == "OKP" && k.Crv == "Ed25519" && err == nil && len(x) == ed25519.PublicKeySize {
			keys[k.Kid] = ed25519.PublicKey(x)
		}
	}
	return keys, nil
}
