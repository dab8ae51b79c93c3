// Package filesource prepares a file that a component attaches or
// uploads: a file on disk (Path) or a reader (Content) of Size bytes. The
// message and todo packages take files the same way, so they check and
// read them the same way here, each keeping its own limits and File type.
package filesource

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
)

// File is a file as a caller describes it; Resolve fills in the rest.
type File struct {
	Path        string    // a file on disk, opened by Open; or ""
	Content     io.Reader // read when Path is ""; the caller keeps it
	Size        int64     // bytes of content; 0 to ask the file or reader
	Name        string    // the name shown; Path's base name by default
	ContentType string    // guessed from Name when ""
}

// Resolve checks f without reading its content and fills in what it
// leaves to defaults: the size (from the file, or from a reader that can
// tell it), the name and the content type. Its errors start "attaching",
// for the caller to prefix with its package.
func Resolve(f File) (File, error) {
	if f.Path != "" {
		st, err := os.Stat(f.Path)
		if err != nil {
			return f, fmt.Errorf("attaching %s: %w", f.Path, err)
		}
		if st.IsDir() {
			return f, fmt.Errorf("attaching %s: it is a directory", f.Path)
		}
		f.Size = st.Size()
		if f.Name == "" {
			f.Name = filepath.Base(f.Path)
		}
	} else {
		if f.Content == nil {
			return f, errors.New("attaching a File with neither Path nor Content")
		}
		if f.Size == 0 {
			size, err := sizeOf(f.Content)
			if err != nil {
				return f, fmt.Errorf("attaching %q: %w", f.Name, err)
			}
			f.Size = size
		}
	}
	if f.Name == "" {
		return f, errors.New("attaching a File with no Name")
	}
	if f.ContentType == "" {
		f.ContentType = mime.TypeByExtension(filepath.Ext(f.Name))
		if f.ContentType == "" {
			f.ContentType = "application/octet-stream"
		}
	}
	return f, nil
}

// sizeOf tells the size of content that can say so without being read.
func sizeOf(r io.Reader) (int64, error) {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len()), nil
	case io.Seeker:
		cur, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, err
		}
		end, err := v.Seek(0, io.SeekEnd)
		if err != nil {
			return 0, err
		}
		if _, err := v.Seek(cur, io.SeekStart); err != nil {
			return 0, err
		}
		return end - cur, nil
	}
	return 0, errors.New("the File has no Size and its Content cannot tell it")
}

// Open returns the content and how to release it: the file at path,
// opened now, or content as it is, which the caller keeps.
func Open(path string, content io.Reader) (io.Reader, func(), error) {
	if path == "" {
		return content, func() {}, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return fh, func() { fh.Close() }, nil
}

// ReadAll reads content that must hold exactly size bytes, for an
// attachment sent inline in one request.
func ReadAll(r io.Reader, size int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, size+1))
	if err != nil {
		return nil, fmt.Errorf("reading the content: %w", err)
	}
	if n := int64(len(data)); n != size {
		got := fmt.Sprint(n)
		if n > size {
			got = fmt.Sprintf("more than %d", size)
		}
		return nil, fmt.Errorf("the content has %s bytes, the File says %d", got, size)
	}
	return data, nil
}
