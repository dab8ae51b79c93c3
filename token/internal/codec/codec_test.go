package codec_test

import (
	"strings"
	"testing"

	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/internal/codec"
)

func TestRoundTrip(t *testing.T) {
	data, err := codec.Encode("somestore", "u", &token.Token{AccessToken: "a", RefreshToken: "r"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := codec.Decode("somestore", "u", data)
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != "a" || got.RefreshToken != "r" {
		t.Fatalf("decoded %+v", got)
	}
}

func TestErrorsNameStoreAndUserButNoValue(t *testing.T) {
	for name, err := range map[string]error{
		"empty username": second(codec.Encode("somestore", "", &token.Token{})),
		"nil token":      second(codec.Encode("somestore", "u", nil)),
		"corrupt":        second(codec.Decode("somestore", "u", []byte(`{"access_token":"SECRET`))),
	} {
		if err == nil || !strings.HasPrefix(err.Error(), "somestore: ") || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s: err = %v, want one naming the store and hiding the value", name, err)
		}
		if name != "empty username" && !strings.Contains(err.Error(), `"u"`) {
			t.Errorf("%s: err = %v, want one naming the user", name, err)
		}
	}
}

func second[T any](_ T, err error) error { return err }
