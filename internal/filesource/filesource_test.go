package filesource_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-o365/o365/internal/filesource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolveFillsInFromThePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.pdf")
	require.NoError(t, os.WriteFile(path, []byte("%PDF-1.7 hello"), 0o600))
	f, err := filesource.Resolve(filesource.File{Path: path})
	require.NoError(t, err)
	assert.Equal(t, int64(14), f.Size)
	assert.Equal(t, "report.pdf", f.Name)
	assert.Equal(t, "application/pdf", f.ContentType)

	r, release, err := filesource.Open(f.Path, f.Content)
	require.NoError(t, err)
	data, err := filesource.ReadAll(r, f.Size)
	release()
	require.NoError(t, err)
	assert.Equal(t, "%PDF-1.7 hello", string(data))
}

func TestResolveAsksTheReader(t *testing.T) {
	f, err := filesource.Resolve(filesource.File{Content: strings.NewReader("abcdef"), Name: "notes"})
	require.NoError(t, err)
	assert.Equal(t, int64(6), f.Size, "a reader with Len")
	assert.Equal(t, "application/octet-stream", f.ContentType, "no extension to guess from")

	fh, err := os.Open(os.Args[0])
	require.NoError(t, err)
	defer fh.Close()
	st, err := fh.Stat()
	require.NoError(t, err)
	_, err = fh.Seek(10, io.SeekStart)
	require.NoError(t, err)
	f, err = filesource.Resolve(filesource.File{Content: fh, Name: "bin"})
	require.NoError(t, err)
	assert.Equal(t, st.Size()-10, f.Size, "a seeker counts from where it stands")
	pos, err := fh.Seek(0, io.SeekCurrent)
	require.NoError(t, err)
	assert.Equal(t, int64(10), pos, "and is put back")
}

func TestResolveRefuses(t *testing.T) {
	dir := t.TempDir()
	for want, f := range map[string]filesource.File{
		"neither Path nor Content": {},
		"no Name":                  {Content: strings.NewReader("x")},
		"cannot tell":              {Content: io.MultiReader(strings.NewReader("x")), Name: "x"},
		"it is a directory":        {Path: dir},
		"missing.txt":              {Path: filepath.Join(dir, "missing.txt")},
	} {
		_, err := filesource.Resolve(f)
		assert.ErrorContains(t, err, want)
	}
}

func TestReadAllWantsTheSizeExactly(t *testing.T) {
	_, err := filesource.ReadAll(strings.NewReader("abc"), 5)
	assert.ErrorContains(t, err, "the content has 3 bytes, the File says 5")
	_, err = filesource.ReadAll(strings.NewReader("abcdef"), 2)
	assert.ErrorContains(t, err, "more than 2")
}
