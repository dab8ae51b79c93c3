package o365_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/go-o365/o365"
)

// FuzzParseRedirect: whatever is pasted, ParseRedirect returns either a
// code, only when the state matched, or one of its documented errors.
func FuzzParseRedirect(f *testing.F) {
	for _, seed := range []string{
		"https://login.microsoftonline.com/common/oauth2/nativeclient?code=abc&state=s1",
		"http://localhost/cb#code=xyz&state=s1",
		"https://x/cb?error=access_denied&error_description=no&state=s1",
		"https://outlook.office.com/owa/?realm=contoso.com",
		"", " \n", "%zz", "https://x/cb?code=&state=s1", "https://x/cb?state=s1&code=a%20b",
	} {
		f.Add(seed, "s1")
	}
	f.Fuzz(func(t *testing.T, pasted, state string) {
		code, err := o365.ParseRedirect(pasted, state)
		if err == nil {
			if code == "" {
				t.Fatal("no error and no code")
			}
			if !strings.Contains(pasted, "code=") {
				t.Fatalf("code %q from a URL without code=", code)
			}
			return
		}
		var ae *o365.AuthError
		if !errors.Is(err, o365.ErrNoAuthorizationCode) && !errors.Is(err, o365.ErrStateMismatch) && !errors.As(err, &ae) {
			t.Fatalf("undocumented error %v", err)
		}
		if code != "" {
			t.Fatal("a code came back with an error")
		}
	})
}
