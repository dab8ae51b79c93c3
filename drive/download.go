package drive

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-o365/o365/api"
)

// DownloadOptions shape a download. The zero value (or nil) downloads
// the whole file as it is.
type DownloadOptions struct {
	// Format asks Graph to convert the file, e.g. "pdf" (Word, Excel,
	// PowerPoint, RTF, Markdown, …) or "html" (Loop, Fluid).
	Format string
	// Offset and Length select a byte range: Length bytes from Offset,
	// or everything from Offset when Length is zero.
	Offset, Length int64
}

// Download streams the file's content to w and returns the number of
// bytes written. Graph answers with a redirect to a pre-authenticated
// storage URL; the bearer token is never sent there.
func (i *DriveItem) Download(ctx context.Context, w io.Writer, opts *DownloadOptions) (int64, error) {
	if err := i.ready("Download"); err != nil {
		return 0, err
	}
	if i.Folder != nil || (i.RemoteItem != nil && i.RemoteItem.Folder != nil) {
		return 0, fmt.Errorf("o365: Download: %q is a folder", i.Name)
	}
	return download(ctx, i.Con(), i.url("/content"), w, opts)
}

// download GETs a content URL (one that redirects to storage) into w.
func download(ctx context.Context, con api.Requester, url string, w io.Writer, opts *DownloadOptions) (int64, error) {
	var o DownloadOptions
	if opts != nil {
		o = *opts
	}
	if w == nil {
		return 0, fmt.Errorf("o365: Download: the writer is nil")
	}
	if o.Offset < 0 || o.Length < 0 {
		return 0, fmt.Errorf("o365: Download: invalid range: offset %d, length %d", o.Offset, o.Length)
	}
	params := api.Params{}
	if o.Format != "" {
		params["format"] = o.Format
	}
	req, err := api.NewRequest(ctx, http.MethodGet, url, params, nil)
	if err != nil {
		return 0, err
	}
	// The body is the file, not JSON: a storage host may refuse to
	// serve it to a client that accepts only JSON.
	req.Header.Del("Accept")
	ranged := o.Offset > 0 || o.Length > 0
	if ranged {
		r := "bytes=" + strconv.FormatInt(o.Offset, 10) + "-"
		if o.Length > 0 {
			r += strconv.FormatInt(o.Offset+o.Length-1, 10)
		}
		req.Header.Set("Range", r)
	}
	resp, err := con.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body := io.Reader(resp.Body)
	switch {
	case ranged && resp.StatusCode == http.StatusPartialContent:
		if start, ok := rangeStart(resp.Header.Get("Content-Range")); !ok || start != o.Offset {
			return 0, fmt.Errorf("o365: Download: asked for bytes from %d, got Content-Range %q", o.Offset, resp.Header.Get("Content-Range"))
		}
	case ranged:
		// The server ignored the range and sent everything: cut the
		// range out of it.
		if _, err := io.CopyN(io.Discard, body, o.Offset); err != nil {
			return 0, fmt.Errorf("o365: Download: skipping to byte %d: %w", o.Offset, err)
		}
		if o.Length > 0 {
			body = io.LimitReader(body, o.Length)
		}
	}
	n, err := io.Copy(w, body)
	if err != nil {
		return n, fmt.Errorf("o365: Download: after %d bytes: %w", n, err)
	}
	return n, nil
}

// rangeStart reads the first byte of "bytes 100-199/1000".
func rangeStart(cr string) (int64, bool) {
	rest, ok := strings.CutPrefix(cr, "bytes ")
	if !ok {
		return 0, false
	}
	first, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(first, 10, 64)
	return n, err == nil
}
