// Command tessera-check checks a running Tessera over gRPC: one line per check, exit status 1
// at the first failure.
//
// Environment:
//
//	TESSERA_URL            host:port to dial (default 127.0.0.1:50051)
//	TESSERA_ISSUER         the service's configured public URL, which access tokens carry as
//	                       `iss` (default http://localhost:50051, the development default)
//	TESSERA_AUDIENCE       the `aud` of access tokens (default tessera)
//	TESSERA_REFRESH_GRACE  seconds the service still accepts a spent refresh token (default 10)
//
// With TESSERA_EMAIL set it signs in to that existing account instead (Login, CompleteSignIn
// when the account has a second factor, GetMe, local verification) and stops there:
//
//	TESSERA_EMAIL          the account's email
//	TESSERA_PASSWORD       its password
//	TESSERA_TOTP_CODE      the code its authenticator app shows now
//	TESSERA_TOTP_SECRET    or the app's base32 secret, to compute the code here (demos, tests;
//	                       a real client asks its user for the code)
//
// With TESSERA_ACCESS_TOKEN set it only verifies that access token locally, as a resource
// server does (the service's JWKS, the pinned issuer and audience), and prints one line:
//
//	TESSERA_ACCESS_TOKEN   an access token issued earlier (e.g. before a key rotation)
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	adapterv1 "github.com/tessera-auth/tessera/gen/go/tessera/adapter/v1"
	authv1 "github.com/tessera-auth/tessera/gen/go/tessera/auth/v1"
	userv1 "github.com/tessera-auth/tessera/gen/go/tessera/user/v1"
)

// password is the one the checks register with.
const password = "correct horse battery staple"

// client holds the stubs and what the checks pass on to each other.
type client struct {
	auth     authv1.AuthServiceClient
	users    userv1.UserServiceClient
	adapter  adapterv1.AdapterServiceClient
	verifier *AccessTokenVerifier
	grace    time.Duration

	email      string
	password   string
	totpCode   string
	totpSecret string
	challenge  *authv1.SecondFactorChallenge
	tokens     *authv1.Tokens
	spent      string
}

func (c *client) register(ctx context.Context) (string, error) {
	suffix := make([]byte, 6)
	rand.Read(suffix)
	c.email = "go." + hex.EncodeToString(suffix) + "@example.com"
	res, err := c.auth.Register(ctx, &authv1.RegisterRequest{Email: c.email, Password: c.password, Name: "Go"})
	if err != nil {
		return "", err
	}
	return "user " + res.User.Id, nil
}

// login says the client handles second factors, so it gets tokens or, for an account with a
// second factor, a challenge for CompleteSignIn (instead of FAILED_PRECONDITION
// auth.second_factor_required).
func (c *client) login(ctx context.Context) (string, error) {
	res, err := c.auth.Login(ctx, &authv1.LoginRequest{Email: c.email, Password: c.password, SecondFactorCapable: true})
	if err != nil {
		return "", err
	}
	if res.SecondFactorChallenge != nil {
		c.challenge = res.SecondFactorChallenge
		return "second factor required (" + strings.Join(c.challenge.Methods, ", ") + ")", nil
	}
	c.tokens = res.Tokens
	return "session " + res.Tokens.SessionId, nil
}

func (c *client) completeSignIn(ctx context.Context) (string, error) {
	if !contains(c.challenge.Methods, "totp") {
		return "", fmt.Errorf("the account's second factors are %s; this client does totp only", strings.Join(c.challenge.Methods, ", "))
	}
	code := c.totpCode
	if code == "" && c.totpSecret != "" {
		secret, err := DecodeTOTPSecret(c.totpSecret)
		if err != nil {
			return "", fmt.Errorf("TESSERA_TOTP_SECRET is not base32: %w", err)
		}
		code = TOTPCode(secret, time.Now())
	}
	if code == "" {
		return "", errors.New("the account has a second factor: set TESSERA_TOTP_CODE (or TESSERA_TOTP_SECRET)")
	}
	res, err := c.auth.CompleteSignIn(ctx, &authv1.CompleteSignInRequest{
		ChallengeToken: c.challenge.Token,
		Proof:          &authv1.CompleteSignInRequest_TotpCode{TotpCode: code},
	})
	if err != nil {
		return "", err
	}
	c.tokens = res.Tokens
	return "TOTP code accepted, session " + res.Tokens.SessionId, nil
}

func (c *client) getMe(ctx context.Context) (string, error) {
	res, err := c.users.GetMe(WithBearer(ctx, c.tokens.AccessToken), &userv1.GetMeRequest{})
	if err != nil {
		return "", err
	}
	if !strings.EqualFold(res.User.Email, c.email) {
		return "", fmt.Errorf("GetMe answered %s, not %s", res.User.Email, c.email)
	}
	return res.User.Email + " with authorization: Bearer", nil
}

func (c *client) verifyLocally(ctx context.Context) (string, error) {
	claims, err := c.verifier.Verify(c.tokens.AccessToken)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("EdDSA, typ %s, iss %s, aud %s, sub %s", AccessTokenTyp, claims.Issuer, claims.Audience[0], claims.Subject), nil
}

func (c *client) refresh(ctx context.Context) (string, error) {
	c.spent = c.tokens.RefreshToken
	res, err := c.auth.Refresh(ctx, &authv1.RefreshRequest{RefreshToken: c.spent})
	if err != nil {
		return "", err
	}
	if res.Tokens.SessionId != c.tokens.SessionId || res.Tokens.RefreshToken == c.spent {
		return "", errors.New("Refresh did not rotate the refresh token within the session")
	}
	return "new tokens, same session", nil
}

func (c *client) spentTokenRefused(ctx context.Context) (string, error) {
	if c.grace > 0 { // inside the grace window a spent token still answers
		time.Sleep(c.grace + time.Second)
	}
	_, err := c.auth.Refresh(ctx, &authv1.RefreshRequest{RefreshToken: c.spent})
	return refused(err, codes.Unauthenticated, "auth.refresh_token_reused", "")
}

func (c *client) wrongPassword(ctx context.Context) (string, error) {
	_, err := c.auth.Login(ctx, &authv1.LoginRequest{Email: c.email, Password: "not the password"})
	return refused(err, codes.Unauthenticated, "auth.invalid_credentials", "")
}

func (c *client) malformedEmail(ctx context.Context) (string, error) {
	_, err := c.auth.Register(ctx, &authv1.RegisterRequest{Email: "not-an-address", Password: c.password})
	return refused(err, codes.InvalidArgument, "request.invalid_argument", "email")
}

func (c *client) adapterWithoutCredential(ctx context.Context) (string, error) {
	_, err := c.adapter.GetUser(ctx, &adapterv1.GetUserRequest{Id: "any"})
	return refused(err, codes.Unauthenticated, "service.invalid_credential", "")
}

// refused describes a call's error if it has the code, reason and (if not empty) field expected.
func refused(err error, want codes.Code, reason, field string) (string, error) {
	expected := code.Code(want).String() + " " + reason
	if err == nil {
		return "", errors.New("expected " + expected + ", the call succeeded")
	}
	got := ReadError(err)
	if got.Code != want || got.Reason != reason || (field != "" && !contains(got.Fields, field)) {
		return "", fmt.Errorf("expected %s, got %v", expected, got)
	}
	if field != "" {
		return expected + " field " + field, nil
	}
	return expected, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

func main() {
	target := env("TESSERA_URL", "127.0.0.1:50051")
	grace, err := strconv.ParseFloat(env("TESSERA_REFRESH_GRACE", "10"), 64)
	if err != nil {
		fmt.Println("FAIL TESSERA_REFRESH_GRACE:", err)
		os.Exit(1)
	}
	// Plain HTTP/2 (h2c) for a development service; use grpc.WithTransportCredentials with
	// credentials.NewTLS(nil) for one behind TLS.
	conn, err := grpc.Dial(target, grpc.WithInsecure())
	if err != nil {
		fmt.Println("FAIL dial:", err)
		os.Exit(1)
	}
	defer conn.Close()
	c := &client{
		auth:    authv1.NewAuthServiceClient(conn),
		users:   userv1.NewUserServiceClient(conn),
		adapter: adapterv1.NewAdapterServiceClient(conn),
		verifier: &AccessTokenVerifier{
			JWKSURL:  "http://" + target + "/.well-known/jwks.json",
			Issuer:   env("TESSERA_ISSUER", "http://localhost:50051"),
			Audience: env("TESSERA_AUDIENCE", "tessera"),
		},
		grace:      time.Duration(grace * float64(time.Second)),
		email:      os.Getenv("TESSERA_EMAIL"),
		password:   env("TESSERA_PASSWORD", password),
		totpCode:   os.Getenv("TESSERA_TOTP_CODE"),
		totpSecret: os.Getenv("TESSERA_TOTP_SECRET"),
	}
	run := func(name string, check func(context.Context) (string, error)) {
		// Room for the grace wait of the spent-token check on top of the call itself.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second+c.grace)
		detail, err := check(ctx)
		cancel()
		if err != nil {
			if _, isCall := status.FromError(err); isCall {
				err = ReadError(err)
			}
			fmt.Printf("FAIL %s: %v\n", name, err)
			os.Exit(1)
		}
		fmt.Printf("ok %s: %s\n", name, detail)
	}
	if token := os.Getenv("TESSERA_ACCESS_TOKEN"); token != "" {
		c.tokens = &authv1.Tokens{AccessToken: token}
		run("access token verified locally", c.verifyLocally)
		return
	}
	if c.email != "" {
		run("Login", c.login)
		if c.challenge != nil {
			run("CompleteSignIn", c.completeSignIn)
		}
		run("GetMe", c.getMe)
		run("access token verified locally", c.verifyLocally)
		return
	}
	checks := []struct {
		name string
		run  func(context.Context) (string, error)
	}{
		{"Register", c.register},
		{"Login", c.login},
		{"GetMe", c.getMe},
		{"access token verified locally", c.verifyLocally},
		{"Refresh", c.refresh},
		{"spent refresh token refused", c.spentTokenRefused},
		{"wrong password refused", c.wrongPassword},
		{"malformed email refused", c.malformedEmail},
		{"AdapterService without credential refused", c.adapterWithoutCredential},
	}
	for _, check := range checks {
		run(check.name, check.run)
	}
}
