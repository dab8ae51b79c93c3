package drive

import (
	"context"
	"fmt"
	"io"
	"iter"
	"time"

	"github.com/go-o365/o365/api"
)

// Version is an earlier (or the current) version of a file (Graph's
// driveItemVersion).
type Version struct {
	api.Component `json:"-"`

	ID                   string       `json:"id"` // "1.0", "2.0", …
	LastModifiedBy       *IdentitySet `json:"lastModifiedBy,omitempty"`
	LastModifiedDateTime time.Time    `json:"lastModifiedDateTime,omitzero"`
	Size                 int64        `json:"size,omitempty"`

	itemPath string
}

// Versions lists the file's versions, newest (the current one) first.
func (i *DriveItem) Versions(ctx context.Context, opts ...api.ListOption) iter.Seq2[*Version, error] {
	if err := i.ready("Versions"); err != nil {
		return failed[*Version](err)
	}
	c, path := i.Component, i.path()
	return list(ctx, &i.Component, i.url("/versions"), func(v *Version) { v.Component, v.itemPath = c, path }, opts...)
}

func (v *Version) url(rest string) (string, error) {
	if v == nil || v.Con() == nil || v.itemPath == "" {
		return "", fmt.Errorf("o365: Version: %w", ErrNotBound)
	}
	if err := needID("Version", v.ID); err != nil {
		return "", err
	}
	return v.BuildBaseURL("/" + v.itemPath + "/versions/" + PathSegment(v.ID) + rest), nil
}

// Download streams the version's content to w and returns the number of
// bytes written; opts select a byte range (Format does not apply).
func (v *Version) Download(ctx context.Context, w io.Writer, opts *DownloadOptions) (int64, error) {
	url, err := v.url("/content")
	if err != nil {
		return 0, err
	}
	return download(ctx, v.Con(), url, w, opts)
}

// Restore makes this version the current content of the file (as a new
// version; the history is kept).
func (v *Version) Restore(ctx context.Context) error {
	url, err := v.url("/restoreVersion")
	if err != nil {
		return err
	}
	return v.PostJSON(ctx, url, nil, nil)
}
