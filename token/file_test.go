package token

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func assertErrorMentions(t *testing.T, err error, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not mention %q", err, p)
		}
	}
}

func assertErrorHides(t *testing.T, err error, secret string) {
	t.Helper()
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error %q reveals a token value", err)
	}
}

func mustGetenv(t *testing.T, name string) string {
	t.Helper()
	v, ok := os.LookupEnv(name)
	if !ok {
		t.Fatalf("$%s is unset", name)
	}
	return v
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// assertDirHolds fails unless dir holds exactly the named entries, which
// catches temporary files left behind.
func assertDirHolds(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("directory holds %q, want %q", got, want)
	}
}

func TestFileFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o365_token.json")
	b := NewFileBackend(path)
	mustPut(t, b, "b@contoso.com", &Token{AccessToken: "at", RefreshToken: "rt"})
	mustPut(t, b, "a@contoso.com", &Token{AccessToken: "at2", AppOnly: true})

	var raw struct {
		Version int `json:"version"`
		Users   []struct {
			Username string         `json:"username"`
			Token    map[string]any `json:"token"`
		} `json:"users"`
	}
	if err := json.Unmarshal(readFile(t, path), &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Version != 1 || len(raw.Users) != 2 || raw.Users[0].Username != "b@contoso.com" ||
		raw.Users[0].Token["refresh_token"] != "rt" || raw.Users[1].Token["app_only"] != true {
		t.Fatalf("unexpected document: %+v", raw)
	}

	// A hand-written document, as an operator might provision it, reads back.
	doc := `{"version": 1, "users": [{"username": "ops@contoso.com",
		"token": {"access_token": "a", "expires_at": "2030-01-02T03:04:05Z", "scopes": ["User.Read"]}}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	tok := mustGet(t, b, "ops@contoso.com")
	if tok.AccessToken != "a" || tok.Expiry.Year() != 2030 || !slices.Equal(tok.Scopes, []string{"User.Read"}) {
		t.Fatalf("hand-written document read as %+v", tok)
	}
}

func TestFileMissing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "o365_token.json")
	b := NewFileBackend(path)
	ctx := context.Background()
	if _, err := b.Get(ctx, "u"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get: err = %v, want ErrNotFound", err)
	}
	assertUsers(t, b)
	if err := b.Delete(ctx, "u"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("reading a missing file created it (stat err = %v)", err)
	}

	// A missing directory is an error naming the file, not a silent success.
	nb := NewFileBackend(filepath.Join(dir, "no", "such", "dir", "tok.json"))
	err := nb.Put(ctx, "u", sampleToken("u"))
	if err == nil {
		t.Fatal("Put into a missing directory: want error")
	}
	assertErrorMentions(t, err, "tok.json")
}

func TestFileRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	b := NewFileBackend("o365_token.json")
	t.Chdir(t.TempDir())
	mustPut(t, b, "u", sampleToken("u"))
	if _, err := os.Stat(filepath.Join(dir, "o365_token.json")); err != nil {
		t.Fatalf("relative path not resolved when the backend was made: %v", err)
	}
}

func TestFileCorrupt(t *testing.T) {
	const secret = "SECRET-TOKEN-VALUE"
	valid := `{"version":1,"users":[{"username":"u","token":{"access_token":"` + secret + `","scopes":["a"]}}]}`
	cases := []struct{ name, content, reason string }{
		{"bad JSON", `{"version":1, users: []}`, "invalid JSON at byte"},
		{"trailing garbage", valid + secret, "invalid JSON at byte"},
		{"truncated", valid[:len(valid)/2], "truncated"},
		{"empty", "", "empty"},
		{"blank", " \n", "empty"},
		{"not an object", `["` + secret + `"]`, "not a JSON object"},
		{"no version", `{"users":[]}`, "no version"},
		{"wrong version", `{"version":2,"users":[]}`, "unsupported version 2"},
		{"wrong field type", strings.Replace(valid, `["a"]`, `"`+secret+`"`, 1), "field users.token.scopes holds a JSON string"},
		{"number where string belongs", `{"version":1,"users":[{"username":"u","token":{"access_token":1234567}}]}`, "holds a JSON number"},
		{"bad expiry", strings.Replace(valid, `"scopes"`, `"expires_at":"`+secret+`","x"`, 1), "expires_at is not an RFC 3339 time"},
		{"no username", `{"version":1,"users":[{"token":{"access_token":"a"}}]}`, "user #1 has no username"},
		{"no token", `{"version":1,"users":[{"username":"u"}]}`, `user "u" has no token`},
		{"duplicate user", `{"version":1,"users":[{"username":"u","token":{}},{"username":"u","token":{}}]}`, `user "u" appears twice`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "o365_token.json")
			if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			b := NewFileBackend(path)
			ctx := context.Background()
			errs := map[string]error{
				"Put":    b.Put(ctx, "other", sampleToken("other")),
				"Delete": b.Delete(ctx, "u"),
			}
			_, errs["Get"] = b.Get(ctx, "u")
			_, errs["Users"] = b.Users(ctx)
			for op, err := range errs {
				if !errors.Is(err, ErrCorrupt) {
					t.Errorf("%s: err = %v, want ErrCorrupt", op, err)
					continue
				}
				assertErrorMentions(t, err, "token: file backend: "+path+": corrupt token file (", c.reason)
				assertErrorHides(t, err, secret)
			}
			if got := string(readFile(t, path)); got != c.content {
				t.Errorf("corrupt file was rewritten:\n got %q\nwant %q", got, c.content)
			}
			assertDirHolds(t, dir, "o365_token.json", "o365_token.json.lock")
		})
	}
}

func TestFileUnreadable(t *testing.T) {
	path := t.TempDir() // a directory where the file should be
	b := NewFileBackend(path)
	ctx := context.Background()
	errs := map[string]error{"Put": b.Put(ctx, "u", sampleToken("u")), "Delete": b.Delete(ctx, "u")}
	_, errs["Get"] = b.Get(ctx, "u")
	_, errs["Users"] = b.Users(ctx)
	for op, err := range errs {
		switch {
		case err == nil:
			t.Errorf("%s on a directory: want error", op)
		case errors.Is(err, ErrNotFound), errors.Is(err, ErrCorrupt):
			t.Errorf("%s: err = %v, want a read error, neither ErrNotFound nor ErrCorrupt", op, err)
		default:
			assertErrorMentions(t, err, "token: file backend: "+path)
		}
	}
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		t.Fatalf("the directory was replaced (stat: %v, %v)", fi, err)
	}
}

func TestFileInterruptedSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "o365_token.json")
	b := NewFileBackend(path)
	mustPut(t, b, "a", sampleToken("a"))
	before := readFile(t, path)

	crash := errors.New("simulated crash before rename")
	var tmpSeen string
	b.beforeRename = func(tmp string) error {
		tmpSeen = tmp
		// The new document is complete in the temporary file by now.
		if !strings.Contains(string(readFile(t, tmp)), `"username": "b"`) {
			t.Errorf("temporary file lacks the new user")
		}
		return crash
	}
	err := b.Put(context.Background(), "b", sampleToken("b"))
	if !errors.Is(err, crash) {
		t.Fatalf("Put: err = %v, want the injected failure", err)
	}
	if filepath.Dir(tmpSeen) != dir {
		t.Errorf("temporary file %q is not in the target's directory", tmpSeen)
	}
	if got := readFile(t, path); string(got) != string(before) {
		t.Fatalf("old file changed by a failed save:\n got %s\nwant %s", got, before)
	}
	assertDirHolds(t, dir, "o365_token.json", "o365_token.json.lock")
	assertUsers(t, b, "a")

	b.beforeRename = nil
	mustPut(t, b, "b", sampleToken("b"))
	assertUsers(t, b, "a", "b")
}

func TestFileCanceledContext(t *testing.T) {
	b := NewFileBackend(filepath.Join(t.TempDir(), "o365_token.json"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := b.Put(ctx, "u", sampleToken("u")); !errors.Is(err, context.Canceled) {
		t.Errorf("Put: err = %v, want context.Canceled", err)
	}
	if _, err := b.Get(ctx, "u"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get: err = %v, want context.Canceled", err)
	}
}

// FuzzDecodeDocument feeds arbitrary bytes to the decoder: it must never
// panic, every failure must wrap ErrCorrupt, and whatever decodes must
// survive an encode and decode unchanged.
func FuzzDecodeDocument(f *testing.F) {
	f.Add([]byte(`{"version":1,"users":[{"username":"u","token":{"access_token":"a","expires_at":"2030-01-02T03:04:05Z","scopes":["x"]}}]}`))
	f.Add([]byte(`{"version":1,"users":[]}`))
	f.Add([]byte(`{"version":1,"users":[{"username":"u","token":{"expires_at":5}}]}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{"version":1,"users":[{"username":"u"`))
	f.Add([]byte(`null`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := decodeDocument(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		for _, indent := range []bool{true, false} {
			enc, err := d.encode(indent)
			if err != nil {
				t.Fatalf("re-encoding a decoded document: %v", err)
			}
			again, err := decodeDocument(enc)
			if err != nil {
				t.Fatalf("re-decoding %q: %v", enc, err)
			}
			if !slices.Equal(again.usernames(), d.usernames()) {
				t.Fatalf("users changed in a round trip: %q, want %q", again.usernames(), d.usernames())
			}
		}
	})
}
