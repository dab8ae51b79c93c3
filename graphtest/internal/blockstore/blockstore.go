// Package blockstore keeps graphtest's file content. The emulator keeps
// real bytes, so a test reads back what it wrote, but it keeps them in
// 64 KiB blocks stored once per distinct block (content addressing, as real storage systems do): a 1 GiB upload
// of a repeating pattern costs a few megabytes, which is what lets a
// benchmark move gigabytes through the emulator with a small heap, while
// tests with random content get exact bytes back. Blocks are never freed;
// memory grows with the distinct content a server has seen.
//
// Each block also keeps its QuickXorHash fold (its bytes XORed into 160
// bytes by offset), so a file's quickXorHash is assembled from its blocks
// without reading the content again: a block at offset o contributes its
// fold rotated by o mod 160.
package blockstore

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/maphash"
	"io"
	"sort"
	"sync"
)

// BlockSize is the unit of storage and deduplication, and of reads:
// content is read and stored this much at a time.
const BlockSize = 64 << 10

type block struct {
	data []byte
	fold [160]byte
}

// Store deduplicates blocks. Its lock is a leaf: nothing else is
// locked while holding it.
type Store struct {
	mu   sync.Mutex
	seed maphash.Seed
	m    map[uint64][]*block
}

// New is an empty store.
func New() *Store {
	return &Store{seed: maphash.MakeSeed(), m: map[uint64][]*block{}}
}

// put returns the stored block equal to p, storing a copy when new.
func (bs *Store) put(p []byte) *block {
	h := maphash.Bytes(bs.seed, p)
	bs.mu.Lock()
	defer bs.mu.Unlock()
	for _, b := range bs.m[h] {
		if bytes.Equal(b.data, p) {
			return b
		}
	}
	b := &block{data: bytes.Clone(p)}
	foldInto(&b.fold, 0, p)
	bs.m[h] = append(bs.m[h], b)
	return b
}

// foldInto XORs p, starting at stream offset off, into fold.
func foldInto(fold *[160]byte, off int64, p []byte) {
	pos := int(off % 160)
	for len(p) > 0 {
		k := min(160-pos, len(p))
		subtle.XORBytes(fold[pos:pos+k], fold[pos:pos+k], p[:k])
		pos = (pos + k) % 160
		p = p[k:]
	}
}

// Content is an immutable file body.
type Content struct {
	blocks []*block
	offs   []int64 // offset of each block
	size   int64
	qx     string // quickXorHash, once computed (under the store lock)
}

func newContent(blocks []*block) *Content {
	c := &Content{blocks: blocks, offs: make([]int64, len(blocks))}
	for i, b := range blocks {
		c.offs[i] = c.size
		c.size += int64(len(b.data))
	}
	return c
}

// ReadContent stores everything r yields. It reads BlockSize at a time,
// so the body is never held whole in memory.
func (bs *Store) ReadContent(r io.Reader, limit int64) (*Content, error) {
	var blocks []*block
	buf := make([]byte, BlockSize)
	var total int64
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			total += int64(n)
			if limit >= 0 && total > limit {
				return nil, ErrTooLarge
			}
			blocks = append(blocks, bs.put(buf[:n]))
		}
		switch {
		case err == nil:
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return newContent(blocks), nil
		default:
			return nil, err
		}
	}
}

// ErrTooLarge is ReadContent's error for content longer than its limit.
var ErrTooLarge = errors.New("content over the limit")

// ContentOf stores data, for content that is already in memory.
func (bs *Store) ContentOf(data []byte) *Content {
	c, _ := bs.ReadContent(bytes.NewReader(data), -1)
	return c
}

// Concat joins contents end to end (the parts of an upload session).
func Concat(parts ...*Content) *Content {
	var blocks []*block
	for _, p := range parts {
		blocks = append(blocks, p.blocks...)
	}
	return newContent(blocks)
}

// Size is the body's length in bytes.
func (c *Content) Size() int64 { return c.size }

// Bytes returns the whole body; for small files only (text search,
// image decoding).
func (c *Content) Bytes() []byte {
	out := make([]byte, 0, c.size)
	for _, b := range c.blocks {
		out = append(out, b.data...)
	}
	return out
}

// Head returns up to n leading bytes, enough to sniff a format or read
// an image header without assembling the file.
func (c *Content) Head(n int) []byte {
	var out []byte
	for _, b := range c.blocks {
		if len(out) >= n {
			break
		}
		out = append(out, b.data[:min(len(b.data), n-len(out))]...)
	}
	return out
}

// QuickXorHash assembles Microsoft's QuickXorHash from the blocks' folds.
// The caller holds the store lock (it caches the result).
func (c *Content) QuickXorHash() string {
	if c.qx != "" {
		return c.qx
	}
	var fold [160]byte
	for i, b := range c.blocks {
		rot := int(c.offs[i] % 160)
		subtle.XORBytes(fold[rot:], fold[rot:], b.fold[:160-rot])
		subtle.XORBytes(fold[:rot], fold[:rot], b.fold[160-rot:])
	}
	var reg [20]byte
	for i, v := range fold {
		bit := i * 11 % 160
		w := uint16(v) << (bit % 8)
		reg[bit/8] ^= byte(w)
		reg[(bit/8+1)%20] ^= byte(w >> 8)
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(c.size))
	for i, v := range n {
		reg[12+i] ^= v
	}
	c.qx = base64.StdEncoding.EncodeToString(reg[:])
	return c.qx
}

// Reader returns an io.ReadSeeker over the body, for http.ServeContent.
func (c *Content) Reader() *Reader { return &Reader{c: c} }

// Reader reads and seeks a Content; it is not safe for concurrent use.
type Reader struct {
	c   *Content
	pos int64
}

// Read implements io.Reader.
func (r *Reader) Read(p []byte) (int, error) {
	if r.pos >= r.c.size {
		return 0, io.EOF
	}
	i := sort.Search(len(r.c.offs), func(i int) bool { return r.c.offs[i] > r.pos }) - 1
	n := 0
	for n < len(p) && i < len(r.c.blocks) {
		b := r.c.blocks[i]
		k := copy(p[n:], b.data[r.pos-r.c.offs[i]:])
		n += k
		r.pos += int64(k)
		i++
	}
	return n, nil
}

// Seek implements io.Seeker.
func (r *Reader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.pos
	case io.SeekEnd:
		offset += r.c.size
	default:
		return 0, errors.New("graphtest: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("graphtest: negative position")
	}
	r.pos = offset
	return offset, nil
}
