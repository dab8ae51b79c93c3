// Command drive works with OneDrive: it lists the drive, uploads a large
// file with a progress bar (streamed in chunks, never held in memory),
// checks the hash the service computed, shares it with a link and with a
// colleague, downloads it back and verifies its SHA-256, and copies it
// into an archive folder, waiting for the copy to finish.
//
// With no credentials in the environment it runs offline against the
// graphtest emulator, as Adele, whose OneDrive holds a few documents.
// Against a real tenant, set O365_CLIENT_ID, O365_CLIENT_SECRET (omit it
// for a public client) and O365_TENANT, and optionally O365_SHARE_WITH (a
// colleague's address); the app needs Files.ReadWrite.All. Tokens are
// kept in o365_token.json.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/go-o365/o365"
	"github.com/go-o365/o365/drive"
	"github.com/go-o365/o365/internal/demo"
)

// fileSize is the size of the generated file: well over the 4 MiB of a
// single PUT, so it goes through an upload session.
const fileSize = 24 << 20

func main() { demo.Main(offline, realTenant) }

func offline(ctx context.Context, w io.Writer) error {
	srv, account, err := demo.Start(ctx, w, demo.SeedDrive, "onedrive")
	if err != nil {
		return err
	}
	defer srv.Close()
	return run(ctx, w, account, demo.Users[1].UserPrincipalName)
}

func realTenant(ctx context.Context, w io.Writer) error {
	account, err := demo.RealTenant(ctx, "onedrive")
	if err != nil {
		return err
	}
	return run(ctx, w, account, os.Getenv("O365_SHARE_WITH"))
}

func run(ctx context.Context, w io.Writer, account *o365.Account, colleague string) error {
	d, err := account.Storage().DefaultDrive(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Drive %q (%s), %s used of %s\n", d.Name, d.DriveType, mib(d.Quota.Used), mib(d.Quota.Total))
	root, err := d.Root(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nIn the root folder:")
	for it, err := range root.Children(ctx) {
		if err != nil {
			return err
		}
		kind := mib(it.Size)
		if it.Folder != nil {
			kind = fmt.Sprintf("folder, %d item(s)", it.Folder.ChildCount)
		}
		fmt.Fprintf(w, "  %-22s %s\n", it.Name, kind)
	}

	// Upload: the bytes are generated as they are read, and hashed on the
	// way, so the file never sits in memory.
	folder, err := root.CreateFolder(ctx, "Uploads", drive.ConflictReplace)
	if err != nil {
		return err
	}
	sha, qx := sha256.New(), drive.NewQuickXorHash()
	src := io.TeeReader(newGenerated(fileSize), io.MultiWriter(sha, qx))
	fmt.Fprintf(w, "\nUploading dataset.bin (%s) in 5 MiB chunks:\n", mib(fileSize))
	f, err := folder.Upload(ctx, "dataset.bin", src, fileSize, &drive.UploadOptions{
		ChunkSize: 16 * drive.ChunkUnit,
		Progress:  progressBar(w),
	})
	if err != nil {
		return err
	}
	sent := hex.EncodeToString(sha.Sum(nil))
	fmt.Fprintf(w, "\nUploaded %s: %s, id %s\n", f.Name, mib(f.Size), f.ID)
	if f.File != nil && f.File.Hashes != nil && f.File.Hashes.QuickXorHash != "" {
		if f.File.Hashes.QuickXorHash != base64.StdEncoding.EncodeToString(qx.Sum(nil)) {
			return fmt.Errorf("the service's quickXorHash %s differs from ours", f.File.Hashes.QuickXorHash)
		}
		fmt.Fprintln(w, "The service's quickXorHash matches the bytes sent.")
	}

	// Share it: a link, and an invitation to a colleague.
	link, err := f.CreateLink(ctx, drive.LinkOptions{Type: drive.LinkView, Scope: drive.ScopeOrganization})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nSharing link (%s, %s): %s\n", link.Link.Type, link.Link.Scope, link.Link.WebURL)
	if colleague != "" {
		perms, err := f.Invite(ctx, drive.Invitation{Recipients: []string{colleague}, Roles: []string{"read"},
			Message: "The dataset for Friday.", RequireSignIn: true})
		if err != nil {
			return err
		}
		for _, p := range perms {
			who := colleague
			if p.GrantedTo != nil && p.GrantedTo.User != nil {
				who = p.GrantedTo.User.DisplayName
			}
			fmt.Fprintf(w, "Shared with %s (%s)\n", who, strings.Join(p.Roles, ", "))
		}
	}

	// Download it back, straight into the hash.
	back := sha256.New()
	n, err := f.Download(ctx, back, nil)
	if err != nil {
		return err
	}
	got := hex.EncodeToString(back.Sum(nil))
	if got != sent {
		return fmt.Errorf("downloaded SHA-256 %s differs from the uploaded %s", got, sent)
	}
	fmt.Fprintf(w, "\nDownloaded %s back; SHA-256 %s… matches.\n", mib(n), got[:16])

	// Copy it; Graph copies in the background and the library waits.
	archive, err := root.CreateFolder(ctx, "Archive", drive.ConflictReplace)
	if err != nil {
		return err
	}
	copied, err := f.Copy(ctx, archive, "dataset (archived).bin")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Copied to %s/%s\n", archive.Name, copied.Name)
	return nil
}

// progressBar draws a bar that the upload advances.
func progressBar(w io.Writer) func(sent, total int64) {
	return func(sent, total int64) {
		const width = 30
		done := int(sent * width / total)
		fmt.Fprintf(w, "\r  [%s%s] %3d%% %s", strings.Repeat("#", done), strings.Repeat(".", width-done), sent*100/total, mib(sent))
	}
}

// mib formats a byte count for people.
func mib(n int64) string {
	switch {
	case n >= 1<<40:
		return fmt.Sprintf("%.1f TiB", float64(n)/(1<<40))
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// generated yields n pseudo-random bytes, made as they are read.
type generated struct {
	rng  *rand.PCG
	left int64
}

func newGenerated(n int64) *generated { return &generated{rng: rand.NewPCG(2026, 4), left: n} }

func (g *generated) Read(p []byte) (int, error) {
	if g.left == 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), g.left)]
	for i := 0; i < len(p); i += 8 {
		v := g.rng.Uint64()
		for j := i; j < min(i+8, len(p)); j++ {
			p[j] = byte(v)
			v >>= 8
		}
	}
	g.left -= int64(len(p))
	return len(p), nil
}
