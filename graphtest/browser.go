package graphtest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Consent plays the browser of the authorization-code flow: it opens
// authURL (the emulator's authorize endpoint consents as the login_hint or
// signed-in user; its sign-in page, when shown, is accepted as that user)
// and returns the URL the browser would be redirected to, which is what a
// user pastes back into a console flow.
func (s *Server) Consent(authURL string) (string, error) {
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(authURL)
	if err != nil {
		return "", fmt.Errorf("graphtest: opening the consent URL: %w", err)
	}
	if resp.StatusCode == http.StatusOK && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		// The sign-in page: pick the account and accept.
		resp.Body.Close()
		account := ""
		if u, err := url.Parse(authURL); err == nil {
			account = u.Query().Get("login_hint")
		}
		if account == "" {
			s.mu.Lock()
			account = s.signedIn
			s.mu.Unlock()
		}
		if account == "" {
			return "", errors.New("graphtest: the sign-in page needs an account: sign one in with Server.SignIn or pass a login_hint")
		}
		resp, err = client.PostForm(authURL, url.Values{signInAccount: {account}, signInConsent: {"accept"}})
		if err != nil {
			return "", fmt.Errorf("graphtest: accepting the sign-in page: %w", err)
		}
	}
	defer resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || loc == "" {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return "", fmt.Errorf("graphtest: consent answered %d, not a redirect: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return loc, nil
}

// Console returns the two ends of a console that a user sits at: wire
// them into the library's console flow (in is what the flow reads, out is
// where it prints). Each line printed to out that starts with "http" is
// taken as a consent URL, opened with Consent, and the redirected URL is
// typed back into in. Everything printed is also copied to echo when it
// is not nil, so a demo can show the conversation. Close out to stop.
func (s *Server) Console(echo io.Writer) (in io.Reader, out io.WriteCloser) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() {
		defer inW.Close()
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			line := sc.Text()
			if echo != nil {
				fmt.Fprintln(echo, line)
			}
			if !strings.HasPrefix(strings.TrimSpace(line), "http") {
				continue
			}
			redirected, err := s.Consent(strings.TrimSpace(line))
			if err != nil {
				inW.CloseWithError(err)
				return
			}
			if echo != nil {
				fmt.Fprintf(echo, "> %s\n", hideCode(redirected))
			}
			if _, err := io.WriteString(inW, redirected+"\n"); err != nil {
				return
			}
		}
	}()
	return inR, outW
}

// hideCode shortens the authorization code in a URL shown to a person:
// codes are credentials, even short-lived ones.
func hideCode(rawURL string) string {
	i := strings.Index(rawURL, "code=")
	if i < 0 {
		return rawURL
	}
	end := strings.IndexAny(rawURL[i:], "&#")
	if end < 0 {
		end = len(rawURL) - i
	}
	return rawURL[:i] + "code=…" + rawURL[i+end:]
}
