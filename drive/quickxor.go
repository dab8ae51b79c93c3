package drive

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"hash"
)

// QuickXorHash is the size in bytes of a QuickXorHash sum.
const QuickXorHashSize = 20

// NewQuickXorHash returns Microsoft's QuickXorHash, the content hash
// OneDrive for Business and SharePoint report in File.Hashes.QuickXorHash
// (base64 of the sum; see QuickXorHashString). Use it to check a
// download, or to skip uploading a file the drive already holds.
//
// The hash places byte i of the input at bit (11*i) mod 160 of a 160-bit
// register, XORing it in, and finally XORs the input length (64-bit
// little-endian) into the last 8 bytes. Since byte i lands where byte
// i+160 does, the input is first folded into 160 bytes, which is fast.
func NewQuickXorHash() hash.Hash { return new(quickXor) }

// QuickXorHashString returns the base64 QuickXorHash of data, in the form
// of File.Hashes.QuickXorHash.
func QuickXorHashString(data []byte) string {
	h := new(quickXor)
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

type quickXor struct {
	fold [160]byte // input byte i XORed into fold[i%160]
	pos  int       // length % 160
	n    uint64    // length
}

func (q *quickXor) Write(p []byte) (int, error) {
	n := len(p)
	q.n += uint64(n)
	for len(p) > 0 {
		if q.pos == 0 && len(p) >= len(q.fold) {
			subtle.XORBytes(q.fold[:], q.fold[:], p[:len(q.fold)])
			p = p[len(q.fold):]
			continue
		}
		k := min(len(q.fold)-q.pos, len(p))
		subtle.XORBytes(q.fold[q.pos:q.pos+k], q.fold[q.pos:q.pos+k], p[:k])
		q.pos = (q.pos + k) % len(q.fold)
		p = p[k:]
	}
	return n, nil
}

func (q *quickXor) Sum(b []byte) []byte {
	var reg [QuickXorHashSize]byte
	for i, v := range q.fold {
		if v == 0 {
			continue
		}
		bit := i * 11 % 160
		// The byte spans at most two register bytes, wrapping at 160 bits.
		lo, shift := bit/8, uint(bit%8)
		w := uint16(v) << shift
		reg[lo] ^= byte(w)
		reg[(lo+1)%QuickXorHashSize] ^= byte(w >> 8)
	}
	var length [8]byte
	binary.LittleEndian.PutUint64(length[:], q.n)
	for i, v := range length {
		reg[QuickXorHashSize-8+i] ^= v
	}
	return append(b, reg[:]...)
}

func (q *quickXor) Reset()         { *q = quickXor{} }
func (q *quickXor) Size() int      { return QuickXorHashSize }
func (q *quickXor) BlockSize() int { return 160 }
