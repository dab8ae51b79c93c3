package storetest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
)

const (
	clientID     = "11111111-2222-3333-4444-555555555555"
	clientSecret = "storetest-CLIENT-secret-zz9"
	// procs is how many processes hammer the store at once.
	procs = 4
	// callsPerUser is how many goroutines of each process call Graph for
	// each user at once.
	callsPerUser = 4
	// refreshLatency is how long each token request takes.
	refreshLatency = 300 * time.Millisecond
)

// people are the emulator's users; each has the password "pw-" + UPN.
var people = []string{
	"AdeleV@contoso.onmicrosoft.com",
	"AlexW@contoso.onmicrosoft.com",
	"MeganB@contoso.onmicrosoft.com",
	"NestorW@contoso.onmicrosoft.com",
	"PattiF@contoso.onmicrosoft.com",
}

// The environment tells a child process what to do.
const (
	childEnv = "O365_STORETEST_CHILD" // "refresh" or "hold"
	nsEnv    = "O365_STORETEST_NS"
	leaseEnv = "O365_STORETEST_LEASE"   // a time.Duration; empty: the default
	keyEnv   = "O365_STORETEST_ENCRYPT" // set: wrap the store in token.Encrypted with Key1
	usersEnv = "O365_STORETEST_USERS"   // comma-separated
	loginEnv = "O365_STORETEST_LOGIN"
	graphEnv = "O365_STORETEST_GRAPH"
)

func emulator(t testing.TB) *graphtest.Server {
	t.Helper()
	srv := graphtest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddApp(graphtest.App{ClientID: clientID, ClientSecret: clientSecret})
	for _, upn := range people {
		name, _, _ := strings.Cut(upn, "@")
		srv.AddUser(graphtest.User{UserPrincipalName: upn, DisplayName: name, Mail: upn, Password: "pw-" + upn})
	}
	return srv
}

func accountOptions(login, graph string, b token.Backend) []o365.Option {
	return []o365.Option{
		o365.WithCloud(o365.Cloud{Login: login, Graph: graph}),
		o365.WithTokenBackend(b),
		o365.WithScopes("basic"),
		o365.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
	}
}

func newAccount(srv *graphtest.Server, b token.Backend, extra ...o365.Option) *o365.Account {
	opts := append(accountOptions(srv.LoginURL(), srv.GraphURL(), b), extra...)
	return o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret}, opts...)
}

// slowTokens returns the URL of a proxy to srv's identity platform that
// answers token requests only after refreshLatency, as a distant identity
// platform might. The children all start within that time of each other,
// so without the lease their refreshes would overlap and all reach srv.
func slowTokens(t testing.TB, srv *graphtest.Server) string {
	target, err := url.Parse(srv.LoginURL())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/token") {
			time.Sleep(refreshLatency)
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)
	return slow.URL
}

// signIn stores a token for upn in b through the password flow.
func signIn(t testing.TB, srv *graphtest.Server, b token.Backend, upn string) {
	t.Helper()
	acct := newAccount(srv, b, o365.WithAuthFlow(o365.PasswordFlow), o365.WithPassword(upn, "pw-"+upn))
	if _, err := acct.Authenticate(SafetyNet(t)); err != nil {
		t.Fatalf("signing in %s: %v", upn, err)
	}
}

// expire makes the stored token of user look expired, so the next call
// refreshes it.
func expire(t testing.TB, b token.Backend, user string) {
	t.Helper()
	tok := mustGet(t, b, user)
	tok.Expiry = time.Now().Add(-time.Hour)
	mustPut(t, b, user, tok)
}

func (s Suite) processes(t *testing.T) {
	t.Run("OneRefreshForOneUser", func(t *testing.T) { s.refreshAcrossProcesses(t, people[:1], false) })
	// Each process refreshes every user at once; each call checks that
	// Graph saw the user it asked for, so no user ever got another's token.
	t.Run("UsersKeepTheirOwnTokens", func(t *testing.T) { s.refreshAcrossProcesses(t, people, false) })
	t.Run("OneRefreshEncrypted", func(t *testing.T) { s.refreshAcrossProcesses(t, people[:2], true) })
	t.Run("KilledHolderTakenOver", s.killedHolder)
}

// refreshAcrossProcesses has procs processes call Graph at once for every
// user in users, whose stored tokens have expired, and checks that each
// user's token was refreshed exactly once.
func (s Suite) refreshAcrossProcesses(t *testing.T, users []string, encrypted bool) {
	srv := emulator(t)
	ns := s.namespace(t)
	b := s.open(t, ns, 0)
	if encrypted {
		b = token.Encrypted(b, Key1)
	}
	before := map[string]*token.Token{}
	for _, u := range users {
		signIn(t, srv, b, u)
		expire(t, b, u)
		before[u] = mustGet(t, b, u)
	}
	srv.ExpireAccessTokens()
	refreshes := srv.TokenRequests("refresh_token")

	env := []string{nsEnv + "=" + ns, usersEnv + "=" + strings.Join(users, ","),
		loginEnv + "=" + slowTokens(t, srv), graphEnv + "=" + srv.GraphURL()}
	if encrypted {
		env = append(env, keyEnv+"=1")
	}
	runChildren(t, "refresh", env)

	if got := srv.TokenRequests("refresh_token") - refreshes; got != len(users) {
		t.Fatalf("%d refreshes for %d users' expired tokens across %d processes, want exactly one per user", got, len(users), procs)
	}
	var secrets []string
	for _, u := range users {
		after := mustGet(t, b, u)
		if !after.Valid() || after.RefreshToken == before[u].RefreshToken {
			t.Errorf("%s: stored token is not the refreshed one (valid %v, refresh token rotated %v)",
				u, after.Valid(), after.RefreshToken != before[u].RefreshToken)
		}
		secrets = append(secrets, after.AccessToken, after.RefreshToken)
	}
	if encrypted {
		assertNoPlaintext(t, s.raw(t, ns), secrets...)
	}
}

// runChildren runs procs child processes in mode with the extra
// environment env, starts them all at once, and waits for all of them.
func runChildren(t *testing.T, mode string, env []string) {
	t.Helper()
	type child struct {
		cmd   *exec.Cmd
		stdin io.Closer
		out   bytes.Buffer
	}
	children := make([]*child, procs)
	for i := range children {
		c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
		c.cmd.Env = append(append(os.Environ(), childEnv+"="+mode), env...)
		c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
		var err error
		if c.stdin, err = c.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		if err := c.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children[i] = c
	}
	// Children wait for stdin to close, so that they all run at once.
	for _, c := range children {
		c.stdin.Close()
	}
	for i, c := range children {
		if err := c.cmd.Wait(); err != nil {
			t.Errorf("child %d: %v\n%s", i, err, c.out.String())
		} else if !strings.Contains(c.out.String(), "child-ok") {
			t.Errorf("child %d did not finish its work:\n%s", i, c.out.String())
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// killedHolder has a child process take the refresh lease and die without
// releasing it; a refresh in this process must take the lease over once it
// expires and refresh exactly once.
func (s Suite) killedHolder(t *testing.T) {
	const lease = time.Second
	user := people[0]
	srv := emulator(t)
	ns := s.namespace(t)
	b := s.open(t, ns, lease)
	signIn(t, srv, b, user)
	expire(t, b, user)
	srv.ExpireAccessTokens()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=hold", nsEnv+"="+ns, leaseEnv+"="+lease.String(), usersEnv+"="+user)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe() // held open: the child waits on it
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "locked\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("holder did not take the lease: %q, %v\n%s", line, err, stderr.String())
	}

	// While the holder lives it keeps the lease: a Lock from here, which
	// would take a free lease at once, must wait.
	ctx, cancel := context.WithTimeout(context.Background(), lease/2)
	defer cancel()
	if _, err := locker(t, b).Lock(ctx, user); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock while another process holds the lease: err = %v, want context.DeadlineExceeded", err)
	}

	// Killed mid-refresh, the holder releases nothing.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	me, err := newAccount(srv, b).CurrentUser(SafetyNet(t))
	if err != nil {
		t.Fatalf("call after the lease holder died: %v", err)
	}
	if me.UserPrincipalName != user {
		t.Fatalf("call as %s reached Graph as %s", user, me.UserPrincipalName)
	}
	if got := srv.TokenRequests("refresh_token"); got != 1 {
		t.Fatalf("%d refreshes, want 1", got)
	}
}

// child does a child process's part and returns its exit code.
func (s Suite) child(mode string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.runChild(ctx, mode); err != nil {
		fmt.Fprintln(os.Stderr, "child-error:", err)
		return 3
	}
	fmt.Println("child-ok")
	return 0
}

func (s Suite) runChild(ctx context.Context, mode string) error {
	var lease time.Duration
	if v := os.Getenv(leaseEnv); v != "" {
		var err error
		if lease, err = time.ParseDuration(v); err != nil {
			return err
		}
	}
	b, err := s.Open(ctx, os.Getenv(nsEnv), lease)
	if err != nil {
		return err
	}
	if os.Getenv(keyEnv) != "" {
		b = token.Encrypted(b, Key1)
	}
	users := strings.Split(os.Getenv(usersEnv), ",")
	switch mode {
	case "refresh":
		if _, err := io.Copy(io.Discard, os.Stdin); err != nil {
			return err
		}
		return callAsEveryone(ctx, b, users)
	case "hold":
		l, ok := b.(token.Locker)
		if !ok {
			return fmt.Errorf("%T does not implement token.Locker", b)
		}
		if _, err := l.Lock(ctx, users[0]); err != nil {
			return err
		}
		fmt.Println("locked")
		// Hold the lease until the parent kills this process.
		_, _ = io.Copy(io.Discard, os.Stdin)
		return errors.New("stdin closed before the parent killed the holder")
	}
	return fmt.Errorf("unknown child mode %q", mode)
}

// callAsEveryone fetches the profile of every user from several goroutines
// at once and checks that Graph saw the user asked for.
func callAsEveryone(ctx context.Context, b token.Backend, users []string) error {
	acct := o365.NewAccount(o365.Credentials{ClientID: clientID, ClientSecret: clientSecret},
		accountOptions(os.Getenv(loginEnv), os.Getenv(graphEnv), b)...)
	var wg sync.WaitGroup
	errs := make(chan error, len(users)*callsPerUser)
	for _, u := range users {
		view, err := acct.As(u)
		if err != nil {
			return err
		}
		for range callsPerUser {
			wg.Go(func() {
				me, err := view.CurrentUser(ctx)
				switch {
				case err != nil:
					errs <- fmt.Errorf("as %s: %w", u, err)
				case me.UserPrincipalName != u:
					errs <- fmt.Errorf("call as %s reached Graph as %s", u, me.UserPrincipalName)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}
