package blockstore

import (
	"bytes"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"testing"
)

// naiveQuickXor is Microsoft's QuickXorHash by its definition: byte i is
// XORed in at bit 11*i mod 160 of a circular 160-bit register, then the
// length is XORed into the last 8 bytes.
func naiveQuickXor(data []byte) string {
	var reg [20]byte
	for i, b := range data {
		start := i * 11 % 160
		for bit := range 8 {
			if b>>bit&1 == 1 {
				p := (start + bit) % 160
				reg[p/8] ^= 1 << (p % 8)
			}
		}
	}
	for i := range 8 {
		reg[12+i] ^= byte(uint64(len(data)) >> (8 * i))
	}
	return base64.StdEncoding.EncodeToString(reg[:])
}

// TestContentBlocks checks that content kept in deduplicated blocks reads
// back exactly, seeks, and hashes as the definition says, also when
// assembled from chunks that start anywhere.
func TestContentBlocks(t *testing.T) {
	bs := New()
	r := rand.New(rand.NewPCG(1, 1))
	pattern := make([]byte, BlockSize)
	for i := range pattern {
		pattern[i] = byte(r.Uint32())
	}
	var data []byte
	for range 5 {
		data = append(data, pattern...)
	}
	data = append(data, pattern[:777]...)
	c := bs.ContentOf(data)
	if !bytes.Equal(c.Bytes(), data) || c.Size() != int64(len(data)) {
		t.Fatal("content differs")
	}
	if n := len(bs.m); n != 2 {
		t.Errorf("five equal blocks and a tail are stored as %d blocks, want 2", n)
	}
	if got, want := c.QuickXorHash(), naiveQuickXor(data); got != want {
		t.Errorf("quickXorHash = %s, want %s", got, want)
	}
	// Chunks of odd sizes, joined as an upload session joins them.
	var parts []*Content
	for rest := data; len(rest) > 0; {
		k := min(len(rest), 1+r.IntN(100_000))
		parts = append(parts, bs.ContentOf(rest[:k]))
		rest = rest[k:]
	}
	joined := Concat(parts...)
	if !bytes.Equal(joined.Bytes(), data) || joined.QuickXorHash() != naiveQuickXor(data) {
		t.Fatal("joined chunks differ")
	}
	rd := joined.Reader()
	for range 50 {
		off := r.Int64N(int64(len(data)))
		if _, err := rd.Seek(off, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 1+r.IntN(200_000))
		n, _ := io.ReadFull(rd, buf)
		if !bytes.Equal(buf[:n], data[off:off+int64(n)]) {
			t.Fatalf("reading %d bytes at %d differs", n, off)
		}
	}
	if _, err := bs.ReadContent(bytes.NewReader(data), 1000); err != ErrTooLarge {
		t.Errorf("a body over the limit: %v", err)
	}
}
