// Command fleet syncs many mailboxes from several worker processes that
// share one token store, the way a mail archiver or CRM sync runs.
//
// The parent process starts the graphtest emulator with a tenant of
// mailboxes, then starts worker processes (this same program) that each
// sync their share of the mailboxes: profiles read through JSON batching,
// Inboxes through delta sync, so later rounds fetch only what changed.
// The workers share the app-only token through the store; when it expires,
// exactly one of them renews it for all.
//
// The store is Redis when O365_REDIS_URL is set (redis://host:port/db),
// PostgreSQL when O365_POSTGRES_URL is set (postgres://…), else a token
// file in a temporary directory.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/api"
	"github.com/go-o365/o365/graphtest"
	"github.com/go-o365/o365/token"
	"github.com/go-o365/o365/token/redisstore"
	"github.com/go-o365/o365/token/sqlstore"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"
)

const (
	appID     = "fleet-app"
	appSecret = "fleet-secret"
)

func main() {
	if os.Getenv("FLEET_WORKER") != "" {
		if err := worker(context.Background(), os.Stdin, os.Stdout); err != nil {
			log.Fatal(err)
		}
		return
	}
	workers := flag.Int("workers", 4, "worker processes")
	mailboxes := flag.Int("mailboxes", 40, "emulated mailboxes")
	rounds := flag.Int("rounds", 3, "sync rounds")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *workers, *mailboxes, *rounds); err != nil {
		log.Fatal(err)
	}
}

// storeConfig says which store the workers share, as environment lines.
func storeConfig() (kind string, env []string, cleanup func(), err error) {
	switch {
	case os.Getenv("O365_REDIS_URL") != "":
		return "redis", []string{"FLEET_STORE=redis", "FLEET_STORE_URL=" + os.Getenv("O365_REDIS_URL")}, func() {}, nil
	case os.Getenv("O365_POSTGRES_URL") != "":
		return "postgres", []string{"FLEET_STORE=postgres", "FLEET_STORE_URL=" + os.Getenv("O365_POSTGRES_URL")}, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "fleet")
	if err != nil {
		return "", nil, nil, err
	}
	return "file", []string{"FLEET_STORE=file", "FLEET_STORE_URL=" + filepath.Join(dir, "tokens.json")}, func() { os.RemoveAll(dir) }, nil
}

// openStore opens the shared store of kind at where.
func openStore(ctx context.Context, kind, where string) (token.Backend, func(), error) {
	switch kind {
	case "redis":
		opt, err := redis.ParseURL(where)
		if err != nil {
			return nil, nil, fmt.Errorf("O365_REDIS_URL: %w", err)
		}
		client := redis.NewClient(opt)
		st, err := redisstore.New(client, redisstore.Options{Prefix: "{fleet}:"})
		return st, func() { client.Close() }, err
	case "postgres":
		pool, err := pgxpool.New(ctx, where)
		if err != nil {
			return nil, nil, fmt.Errorf("O365_POSTGRES_URL: %w", err)
		}
		st, err := sqlstore.New(ctx, pool, sqlstore.Options{Table: "fleet_tokens"})
		return st, pool.Close, err
	default:
		return token.NewFileBackend(where), func() {}, nil
	}
}

func mailboxName(i int) string { return fmt.Sprintf("box%03d@contoso.com", i) }

// run is the parent: the emulated tenant, the workers, the rounds.
func run(ctx context.Context, w io.Writer, workers, mailboxes, rounds int) error {
	srv := graphtest.NewServer()
	defer srv.Close()
	srv.AddApp(graphtest.App{ClientID: appID, ClientSecret: appSecret})
	for i := range mailboxes {
		srv.AddUser(graphtest.User{UserPrincipalName: mailboxName(i), DisplayName: fmt.Sprintf("Mailbox %d", i)})
		for j := range 5 {
			if _, err := srv.AddMessage(mailboxName(i), "inbox", graphtest.MailMessage{Subject: fmt.Sprintf("welcome %d", j), From: "hr@contoso.com"}); err != nil {
				return err
			}
		}
	}
	kind, storeEnv, cleanup, err := storeConfig()
	if err != nil {
		return err
	}
	defer cleanup()
	// A store that outlives this run may hold the token of an earlier
	// emulator; start from nothing so the counts below are this run's.
	store, closeStore, err := openStore(ctx, kind, strings.TrimPrefix(storeEnv[1], "FLEET_STORE_URL="))
	if err != nil {
		return err
	}
	err = store.Delete(ctx, appID)
	closeStore()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Emulated tenant at %s: %d mailboxes; %d workers share a %s token store\n", srv.URL, mailboxes, workers, kind)

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	procs := make([]*workerProc, workers)
	for i := range workers {
		cmd := exec.CommandContext(ctx, exe)
		cmd.Env = append(append(os.Environ(), storeEnv...),
			"FLEET_WORKER="+strconv.Itoa(i), "FLEET_WORKERS="+strconv.Itoa(workers),
			"FLEET_MAILBOXES="+strconv.Itoa(mailboxes), "FLEET_GRAPH="+srv.URL)
		cmd.Stderr = os.Stderr
		p, err := startWorker(cmd)
		if err != nil {
			return err
		}
		defer p.stop()
		procs[i] = p
	}

	for round := 1; round <= rounds; round++ {
		if round > 1 {
			// New mail arrives in every third mailbox, and the app's token
			// expires: one worker renews it for everyone.
			for i := 0; i < mailboxes; i += 3 {
				if _, err := srv.AddMessage(mailboxName(i), "inbox", graphtest.MailMessage{Subject: fmt.Sprintf("round %d news", round), From: "news@contoso.com"}); err != nil {
					return err
				}
			}
			srv.ExpireAccessTokens()
		}
		var total, boxes int
		var mu sync.Mutex
		var wg sync.WaitGroup
		errs := make([]error, workers)
		for i, p := range procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, m, err := p.round(round)
				mu.Lock()
				total, boxes = total+m, boxes+b
				mu.Unlock()
				errs[i] = err
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				return fmt.Errorf("worker %d: %w", i, err)
			}
		}
		fmt.Fprintf(w, "round %d: %d mailboxes synced, %d new or changed messages\n", round, boxes, total)
	}
	fmt.Fprintf(w, "app-only token acquired %d times for %d workers over %d rounds\n",
		srv.TokenRequests(graphtest.GrantClientCredentials), workers, rounds)
	fmt.Fprintf(w, "batched profile reads: %d, peak requests in flight per mailbox: %d\n",
		len(srv.BatchRequests()), peakPerMailbox(srv, mailboxes))
	return nil
}

func peakPerMailbox(srv *graphtest.Server, mailboxes int) int {
	peak := 0
	for i := range mailboxes {
		peak = max(peak, srv.PeakInFlight(mailboxName(i)))
	}
	return peak
}

// workerProc is a running worker and its line protocol: the parent writes
// "round N", the worker answers "done N <mailboxes> <messages>".
type workerProc struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
}

func startWorker(cmd *exec.Cmd) (*workerProc, error) {
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &workerProc{cmd: cmd, in: in, out: bufio.NewScanner(out)}, nil
}

func (p *workerProc) round(n int) (mailboxes, messages int, err error) {
	if _, err := fmt.Fprintf(p.in, "round %d\n", n); err != nil {
		return 0, 0, err
	}
	if !p.out.Scan() {
		return 0, 0, fmt.Errorf("worker ended: %v", p.out.Err())
	}
	var got int
	if _, err := fmt.Sscanf(p.out.Text(), "done %d %d %d", &got, &mailboxes, &messages); err != nil || got != n {
		return 0, 0, fmt.Errorf("worker answered %q", p.out.Text())
	}
	return mailboxes, messages, nil
}

func (p *workerProc) stop() {
	p.in.Close()
	_ = p.cmd.Wait()
}

// worker syncs every FLEET_WORKERS-th mailbox, one round per line read.
func worker(ctx context.Context, in io.Reader, out io.Writer) error {
	id, _ := strconv.Atoi(os.Getenv("FLEET_WORKER"))
	n, _ := strconv.Atoi(os.Getenv("FLEET_WORKERS"))
	total, _ := strconv.Atoi(os.Getenv("FLEET_MAILBOXES"))
	store, closeStore, err := openStore(ctx, os.Getenv("FLEET_STORE"), os.Getenv("FLEET_STORE_URL"))
	if err != nil {
		return err
	}
	defer closeStore()
	graph := os.Getenv("FLEET_GRAPH")
	account := o365.NewAccount(o365.Credentials{ClientID: appID, ClientSecret: appSecret},
		o365.WithCloud(o365.Cloud{Login: graph, Graph: graph}),
		o365.WithAuthFlow(o365.CredentialsFlow), o365.WithTenant("contoso"),
		o365.WithTokenBackend(store))

	var mine []string
	for i := id; i < total; i += n {
		mine = append(mine, mailboxName(i))
	}
	links := map[string]string{} // delta link per mailbox, kept between rounds
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		var round int
		if _, err := fmt.Sscanf(sc.Text(), "round %d", &round); err != nil {
			return fmt.Errorf("unexpected command %q", sc.Text())
		}
		if round == 1 {
			if err := readProfiles(ctx, account, mine); err != nil {
				return err
			}
		}
		changed := 0
		for _, box := range mine {
			delta := account.Mailbox(box).Inbox().MessageDelta(links[box])
			for _, err := range delta.Changes(ctx) {
				if err != nil {
					return fmt.Errorf("%s: %w", box, err)
				}
				changed++
			}
			links[box] = delta.DeltaLink
		}
		fmt.Fprintf(out, "done %d %d %d\n", round, len(mine), changed)
	}
	return sc.Err()
}

// readProfiles reads the mailboxes' profiles in batches of up to 20.
func readProfiles(ctx context.Context, account *o365.Account, boxes []string) error {
	b := account.Batch()
	var users []*api.Batched[o365.User]
	for _, box := range boxes {
		u, err := api.Add[o365.User](b, o365.BatchRequest{URL: "/users/" + box + "?$select=displayName,userPrincipalName"})
		if err != nil {
			return err
		}
		users = append(users, u)
	}
	if err := b.Send(ctx); err != nil {
		return err
	}
	for _, u := range users {
		p, err := u.Result()
		if err != nil {
			return err
		}
		if !strings.HasPrefix(p.DisplayName, "Mailbox ") {
			return fmt.Errorf("unexpected profile %+v", p)
		}
	}
	return nil
}
