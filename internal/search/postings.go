package search

import (
	"encoding/binary"
	"slices"
	"unsafe"
)

// postings is a stripe's buffer: per term, its entries (laid out as
// stream.go says, before the run type) in the order they were added.
//
// Why not a map of terms each with a growing []byte: a growing slice is
// copied at every doubling (a common term's grows to megabytes), every
// term is a pointer for the garbage collector to follow, and the slack of
// the doublings counts against the bound without holding anything. Here
// the terms are values in an open-addressing table, and their entries
// are chunks of a few fixed-size blocks that are reused from one spill to
// the next: nothing is copied once written, the collector sees a few
// pointer-free slices, and what the bound counts is what is held.
type postings struct {
	slots []int32 // 1 + index into terms, 0 for an empty slot
	shift uint    // 64 - log2(len(slots))
	terms []termBuf
	arena arena
}

// termBuf is one term's entries in the arena: a chain of chunks, the
// first of firstChunk bytes, each following twice the size of the one
// before up to maxChunk. A chunk's last linkSize bytes hold the address
// of the next chunk; the entries run on from one chunk's payload to the
// next's, an entry too.
type termBuf struct {
	key  uint64
	head uint32 // address of the first chunk
	at   uint32 // address of the next byte to write
	end  uint32 // address of the current chunk's link
	size uint32 // bytes of entries
	n    int32  // documents
	// max is the largest id in the entries; unsorted says that a
	// document came after one with a larger id.
	max      int32
	chunk    uint8 // the current chunk's number in the chain, capped
	unsorted bool
}

const (
	firstChunk = 16
	maxChunk   = 1024
	linkSize   = 4
	// termSize is what a term costs besides its chunks: its place in
	// terms and, the table being at most half full, two slots.
	termSize = int(unsafe.Sizeof(termBuf{})) + 2*4
)

// chunkSize returns the size of the chunk number c of a chain.
func chunkSize(c uint8) uint32 { return min(uint32(firstChunk)<<c, maxChunk) }

// newPostings returns an empty buffer.
func newPostings() *postings {
	p := &postings{}
	p.slots = make([]int32, 1024)
	p.shift = 64 - 10
	return p
}

// held returns the bytes the buffer counts against its bound: its
// terms and the chunks handed out.
func (p *postings) held() int { return len(p.terms)*termSize + p.arena.used }

// full says that the arena might not have room for another document's
// chunks: the buffer must be spilled whatever its bound.
func (p *postings) full() bool { return p.arena.block >= maxBlocks-reserveBlocks() }

// reset empties the buffer, keeping its table and blocks for the next.
func (p *postings) reset() {
	clear(p.slots)
	p.terms = p.terms[:0]
	p.arena.reset()
}

// release empties the buffer and lets go of its memory.
func (p *postings) release() {
	*p = *newPostings()
}

// find returns the term of key k, or nil.
func (p *postings) find(k uint64) *termBuf {
	mask := len(p.slots) - 1
	for h := int((k * 0x9E3779B97F4A7C15) >> p.shift); ; h = (h + 1) & mask {
		s := p.slots[h]
		if s == 0 {
			return nil
		}
		if p.terms[s-1].key == k {
			return &p.terms[s-1]
		}
	}
}

// term returns the term of key k, added if it is new.
func (p *postings) term(k uint64) *termBuf {
	mask := len(p.slots) - 1
	for h := int((k * 0x9E3779B97F4A7C15) >> p.shift); ; h = (h + 1) & mask {
		s := p.slots[h]
		if s == 0 {
			head := p.arena.alloc(firstChunk)
			p.terms = append(p.terms, termBuf{key: k, head: head, at: head, end: head + firstChunk - linkSize})
			p.slots[h] = int32(len(p.terms))
			if 2*len(p.terms) > len(p.slots) {
				p.grow()
			}
			return &p.terms[len(p.terms)-1]
		}
		if p.terms[s-1].key == k {
			return &p.terms[s-1]
		}
	}
}

// grow doubles the table.
func (p *postings) grow() {
	p.slots = make([]int32, 2*len(p.slots))
	p.shift--
	mask := len(p.slots) - 1
	for i := range p.terms {
		h := int((p.terms[i].key * 0x9E3779B97F4A7C15) >> p.shift)
		for p.slots[h] != 0 {
			h = (h + 1) & mask
		}
		p.slots[h] = int32(i + 1)
	}
}

// add appends one document's entry to t: id, tf<<1 | title and, for a
// bigram, its positions (see appendPositions).
func (p *postings) add(t *termBuf, id int32, info uint64, pos []uint32, bigram bool) {
	if t.n > 0 && id < t.max {
		t.unsorted = true
	}
	t.max = max(t.max, id)
	t.n++
	// Most entries fit the room left in the chunk, and are written in
	// place; the others are encoded first, and copied across chunks.
	need := 2*binary.MaxVarintLen32 + len(pos)*binary.MaxVarintLen32
	if int(t.end-t.at) >= need {
		b := p.arena.bytes(t.at, t.end)[:0]
		b = appendUvarint(b, uint64(id))
		b = appendUvarint(b, info)
		if bigram {
			b = appendPositions(b, pos)
		}
		t.at += uint32(len(b))
		t.size += uint32(len(b))
		return
	}
	var buf [64]byte
	e := appendUvarint(buf[:0], uint64(id))
	e = appendUvarint(e, info)
	if bigram {
		e = appendPositions(e, pos)
	}
	p.write(t, e)
}

// write appends e to t's entries, linking new chunks as they fill.
func (p *postings) write(t *termBuf, e []byte) {
	t.size += uint32(len(e))
	for len(e) > 0 {
		if t.at == t.end {
			t.chunk = min(t.chunk+1, maxChunkNumber)
			size := chunkSize(t.chunk)
			next := p.arena.alloc(size)
			binary.LittleEndian.PutUint32(p.arena.bytes(t.end, t.end+linkSize), next)
			t.at, t.end = next, next+size-linkSize
		}
		n := copy(p.arena.bytes(t.at, t.end), e)
		e = e[n:]
		t.at += uint32(n)
	}
}

// maxChunkNumber is the first chunk number of a chain whose chunks are
// maxChunk bytes.
var maxChunkNumber = func() uint8 {
	c := uint8(0)
	for chunkSize(c) < maxChunk {
		c++
	}
	return c
}()

// each calls f with t's entries, a piece (of one chunk) at a time, in
// order.
func (p *postings) each(t *termBuf, f func([]byte)) {
	addr, left := t.head, t.size
	for c := uint8(0); left > 0; c = min(c+1, maxChunkNumber) {
		size := chunkSize(c)
		n := min(size-linkSize, left)
		f(p.arena.bytes(addr, addr+n))
		left -= n
		if left > 0 {
			addr = binary.LittleEndian.Uint32(p.arena.bytes(addr+size-linkSize, addr+size))
		}
	}
}

// appendTo appends t's entries to b.
func (p *postings) appendTo(b []byte, t *termBuf) []byte {
	b = slices.Grow(b, int(t.size))
	p.each(t, func(piece []byte) { b = append(b, piece...) })
	return b
}

// sortedKeys returns the buffer's keys by partition, then key.
func (p *postings) sortedKeys() []uint64 {
	// Sorted packed with their partition, as plain integers: a sort
	// with a comparison function that hashes both keys costs several
	// times as much.
	keys := make([]uint64, len(p.terms))
	for i := range p.terms {
		k := p.terms[i].key
		keys[i] = uint64(partition(k))<<keyBits | k
	}
	slices.Sort(keys)
	for i := range keys {
		keys[i] &= 1<<keyBits - 1
	}
	return keys
}

// keyBits is how many bits a term key takes (see noRune).
const keyBits = 42

// arena hands out chunks of blocks of blockSize bytes, addressed by
// block<<blockShift | offset so that a term holds 32-bit addresses. A
// chunk never crosses blocks. Its blocks are reused after reset.
type arena struct {
	blocks [][]byte
	block  int // the block chunks are taken from
	off    uint32
	used   int // bytes of the chunks handed out
}

const (
	blockShift = 16
	blockSize  = 1 << blockShift
)

// maxBlocks is how many blocks an arena's addresses reach. A variable so
// that a test can make it small.
var maxBlocks = 1 << (32 - blockShift)

// reserveBlocks is how many blocks an arena keeps for the document being
// merged: a stripe spills when its arena has fewer left, whatever its
// bound. A document of maxPos characters has fewer than 5 bytes of
// entries per character per term kind and as much again of chunks.
func reserveBlocks() int { return max(2, maxBlocks/16) }

// alloc returns the address of a new chunk of size bytes.
func (a *arena) alloc(size uint32) uint32 {
	if a.blocks == nil || a.off+size > blockSize {
		if a.blocks != nil {
			a.block++
		}
		a.off = 0
		if a.block == len(a.blocks) {
			if a.block == maxBlocks {
				panic("search index: arena full") // spilled well before (see full)
			}
			a.blocks = append(a.blocks, make([]byte, blockSize))
		}
	}
	addr := uint32(a.block)<<blockShift | a.off
	a.off += size
	a.used += int(size)
	return addr
}

// bytes returns the arena's bytes from address from to address to, in
// one block.
func (a *arena) bytes(from, to uint32) []byte {
	base := from &^ (blockSize - 1)
	return a.blocks[from>>blockShift][from-base : to-base]
}

// reset forgets every chunk; the blocks are reused.
func (a *arena) reset() {
	a.block, a.off, a.used = 0, 0, 0
}
