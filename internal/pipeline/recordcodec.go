package pipeline

import (
	"encoding"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"reflect"
	"unsafe"
)

// The cache of loaded records is written in a format of its own, not
// gob: a rebuild decodes every part, and gob allocated each string,
// slice and pointer of every record separately, which cost more than
// the decoding itself in the collector's work.
//
// The format is derived from the types by reflection, once (compile):
// each type gets an encoder and a decoder working on its memory, so a
// field added to loadEntry or to anything it reaches is kept without
// anyone teaching the cache, and a field of a kind the format has no
// rule for stops every build and test at once (the panic of compile).
// As gob does, it keeps exported fields only; what a record keeps
// unexported is given back by the cache as before (Record.SetNarrativeRef,
// SetFrozenIndicators, Evaluation.SetBands). Unlike gob, it keeps
// everything else exactly: a pointer to zero, an empty list that is not
// nil.
//
// Integers are varints, a bool a byte, a string its length and bytes, a
// byte array its bytes, a pointer a byte (0 for nil) and what it points
// to, a slice its length plus one (0 for nil) and its items, a struct its
// exported fields in order, a type with GobEncode what that returns.
//
// Decoded strings share the part's buffer (unsafe.String): a part is
// read into one []byte that nothing writes into afterwards (readPart
// holds the only reference), so its strings stay as immutable as any.
// Byte slices are copied, but for fields tagged `cache:"shared"`, which
// share the buffer too and must not be written into.

// fieldCodec is the encoder and decoder of one type, working on a value
// of it at p.
type fieldCodec struct {
	enc func(e *encoder, p unsafe.Pointer)
	dec func(d *decoder, p unsafe.Pointer)
	// min is the fewest bytes a value encodes to, to refuse a count
	// that what is left could not hold.
	min int
	// id numbers the type, for its slab (decoder.alloc); size is its
	// size and slice the type of a slice of it.
	id    int
	size  uintptr
	slice reflect.Type
	// plain is set for a string, a 64-bit integer and a bool, which a
	// struct decodes without calling dec: most fields are these.
	plain plainKind
}

type plainKind uint8

const (
	notPlain plainKind = iota
	plainString
	plainInt64
	plainBool
)

// encoder appends to b; err is the first error of a GobEncode.
type encoder struct {
	b   []byte
	err error
}

// decoder reads b from at; err is set at the first thing it cannot read,
// after which everything reads as zero.
type decoder struct {
	b   []byte
	at  int
	err error
	// slabs are where values of each type are allocated, by id.
	slabs []slab
}

// slab is an array of values of one type that a decoder hands out from:
// the records of a part are decoded into a few large objects of each
// type, not one object a record, a date or a list, and the collector
// has that many fewer to track. Its values live as long as any of them
// does: a build holds them all anyway.
type slab struct {
	base       unsafe.Pointer
	used, size int
	next       int // items of the next array
}

// maxSlab is the most bytes of an array of a slab: enough that a part's
// records are a few objects, few enough that a type seen once in a part
// wastes little.
const maxSlab = 64 << 10

// alloc returns n zeroed values of c's type, consecutive.
func (d *decoder) alloc(c *fieldCodec, n int) unsafe.Pointer {
	if c.size == 0 {
		return unsafe.Pointer(&zeroSized)
	}
	s := &d.slabs[c.id]
	if s.size-s.used < n {
		// Arrays double from 8 items, to at most maxSlab bytes; a list
		// longer than that is an array of its own.
		size := max(n, min(max(s.next, 8), int(maxSlab/c.size)))
		s.base, s.used, s.size = reflect.MakeSlice(c.slice, size, size).UnsafePointer(), 0, size
		s.next = 2 * size
	}
	p := unsafe.Add(s.base, uintptr(s.used)*c.size)
	s.used += n
	return p
}

// zeroSized is where the values of a type of size 0, and the items of an
// empty list that is not nil, are.
var zeroSized struct{}

// sliceHeader is how a slice is laid out in memory.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// errRecordsShort says that a part ends before what it holds does, or
// holds a count larger than what follows could be.
var errRecordsShort = errors.New("已加载记录的缓存内容不完整")

var (
	gobEncoderType      = reflect.TypeFor[gob.GobEncoder]()
	binaryMarshalerType = reflect.TypeFor[encoding.BinaryMarshaler]()
	textMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
)

// entryCodec encodes and decodes a loadEntry; entryTypes is the number
// of types it reaches (the slabs of a decoder).
var entryCodec, entryTypes = compile(reflect.TypeFor[loadEntry]())

// encodeEntry appends e to b.
func encodeEntry(b []byte, e *loadEntry) ([]byte, error) {
	enc := encoder{b: b}
	entryCodec.enc(&enc, unsafe.Pointer(e))
	return enc.b, enc.err
}

// compile derives the codec of t and of every type it reaches, and
// returns how many types that is.
func compile(t reflect.Type) (*fieldCodec, int) {
	done := map[reflect.Type]*fieldCodec{}
	c := compileIn(t, done, "")
	return c, len(done)
}

// compileIn is compile with the codecs made so far (a type can reach
// itself: an indicator's items) and the tag of the field of type t.
func compileIn(t reflect.Type, done map[reflect.Type]*fieldCodec, tag string) *fieldCodec {
	shared := tag == "shared"
	if c := done[t]; c != nil && !shared {
		return c
	}
	c := &fieldCodec{id: len(done), size: t.Size(), slice: reflect.SliceOf(t)}
	if !shared {
		done[t] = c
	}
	switch {
	case reflect.PointerTo(t).Implements(gobEncoderType):
		// What gob would write, framed as a byte slice.
		c.min = 1
		c.enc = func(e *encoder, p unsafe.Pointer) {
			b, err := reflect.NewAt(t, p).Interface().(gob.GobEncoder).GobEncode()
			if err != nil && e.err == nil {
				e.err = err
			}
			e.uvarint(uint64(len(b)))
			e.b = append(e.b, b...)
		}
		c.dec = func(d *decoder, p unsafe.Pointer) {
			b := d.bytes()
			if d.err == nil {
				if err := reflect.NewAt(t, p).Interface().(gob.GobDecoder).GobDecode(b); err != nil {
					d.err = err
				}
			}
		}
		return c
	case reflect.PointerTo(t).Implements(binaryMarshalerType), reflect.PointerTo(t).Implements(textMarshalerType):
		// gob would write what these return: whether its fields say
		// the same is for whoever adds such a type to decide.
		panic(fmt.Sprintf("pipeline: the cache of loaded records has no rule for %s, which marshals itself: add one to recordcodec.go", t))
	}
	switch t.Kind() {
	case reflect.Bool:
		c.min = 1
		c.enc = func(e *encoder, p unsafe.Pointer) {
			if *(*bool)(p) {
				e.b = append(e.b, 1)
			} else {
				e.b = append(e.b, 0)
			}
		}
		c.dec = func(d *decoder, p unsafe.Pointer) { *(*bool)(p) = d.byte() != 0 }
		c.plain = plainBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		c.min = 1
		c.enc, c.dec = intCodec(t.Size())
		if t.Size() == 8 {
			c.plain = plainInt64
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		c.min = 1
		c.enc, c.dec = uintCodec(t.Size())
	case reflect.String:
		c.min = 1
		c.enc = func(e *encoder, p unsafe.Pointer) {
			s := *(*string)(p)
			e.uvarint(uint64(len(s)))
			e.b = append(e.b, s...)
		}
		c.dec = func(d *decoder, p unsafe.Pointer) { *(*string)(p) = d.string() }
		c.plain = plainString
	case reflect.Array:
		n := t.Len()
		if t.Elem().Kind() == reflect.Uint8 {
			c.min = n
			c.enc = func(e *encoder, p unsafe.Pointer) { e.b = append(e.b, unsafe.Slice((*byte)(p), n)...) }
			c.dec = func(d *decoder, p unsafe.Pointer) {
				if d.err == nil && len(d.b)-d.at < n {
					d.err = errRecordsShort
				}
				if d.err != nil {
					return
				}
				copy(unsafe.Slice((*byte)(p), n), d.b[d.at:])
				d.at += n
			}
			break
		}
		elem, size := compileIn(t.Elem(), done, ""), t.Elem().Size()
		c.min = n * elem.min
		c.enc = func(e *encoder, p unsafe.Pointer) {
			for i := range n {
				elem.enc(e, unsafe.Add(p, uintptr(i)*size))
			}
		}
		c.dec = func(d *decoder, p unsafe.Pointer) {
			for i := range n {
				elem.dec(d, unsafe.Add(p, uintptr(i)*size))
			}
		}
	case reflect.Pointer:
		elem := compileIn(t.Elem(), done, "")
		c.min = 1
		c.enc = func(e *encoder, p unsafe.Pointer) {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				e.b = append(e.b, 0)
				return
			}
			e.b = append(e.b, 1)
			elem.enc(e, q)
		}
		c.dec = func(d *decoder, p unsafe.Pointer) {
			if d.byte() == 0 {
				*(*unsafe.Pointer)(p) = nil
				return
			}
			q := d.alloc(elem, 1)
			elem.dec(d, q)
			*(*unsafe.Pointer)(p) = q
		}
	case reflect.Slice:
		c.min = 1
		if t.Elem().Kind() == reflect.Uint8 {
			elem := compileIn(t.Elem(), done, "")
			c.enc = func(e *encoder, p unsafe.Pointer) {
				b := *(*[]byte)(p)
				e.length(len(b), b == nil)
				e.b = append(e.b, b...)
			}
			c.dec = func(d *decoder, p unsafe.Pointer) {
				n, isNil := d.length(1)
				if isNil || d.err != nil {
					*(*[]byte)(p) = nil
					return
				}
				b := d.b[d.at : d.at+n : d.at+n]
				d.at += n
				if !shared && n > 0 {
					b = unsafe.Slice((*byte)(d.alloc(elem, n)), n)
					copy(b, d.b[d.at-n:])
				}
				*(*[]byte)(p) = b
			}
			break
		}
		elem, size := compileIn(t.Elem(), done, ""), t.Elem().Size()
		c.enc = func(e *encoder, p unsafe.Pointer) {
			v := reflect.NewAt(t, p).Elem()
			n := v.Len()
			e.length(n, v.IsNil())
			if n == 0 {
				return
			}
			q := v.UnsafePointer()
			for i := range n {
				elem.enc(e, unsafe.Add(q, uintptr(i)*size))
			}
		}
		c.dec = func(d *decoder, p unsafe.Pointer) {
			n, isNil := d.length(elem.min)
			h := (*sliceHeader)(p)
			if isNil || d.err != nil {
				*h = sliceHeader{}
				return
			}
			if n == 0 {
				*h = sliceHeader{data: unsafe.Pointer(&zeroSized)}
				return
			}
			// The capacity is the length: an append copies, and
			// never writes over the slab's next value.
			q := d.alloc(elem, n)
			*h = sliceHeader{q, n, n}
			for i := range n {
				elem.dec(d, unsafe.Add(q, uintptr(i)*size))
			}
		}
	case reflect.Struct:
		type field struct {
			off   uintptr
			c     *fieldCodec
			plain plainKind
		}
		var fields []field
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue // as gob: what the cache keeps of these, it keeps by hand
			}
			fc := compileIn(f.Type, done, f.Tag.Get("cache"))
			fields = append(fields, field{f.Offset, fc, fc.plain})
		}
		c.enc = func(e *encoder, p unsafe.Pointer) {
			for _, f := range fields {
				f.c.enc(e, unsafe.Add(p, f.off))
			}
		}
		c.dec = func(d *decoder, p unsafe.Pointer) {
			for i := range fields {
				f := &fields[i]
				q := unsafe.Add(p, f.off)
				switch f.plain {
				case plainString:
					*(*string)(q) = d.string()
				case plainInt64:
					*(*int64)(q) = d.varint()
				case plainBool:
					*(*bool)(q) = d.byte() != 0
				default:
					f.c.dec(d, q)
				}
			}
		}
		// A type reaches itself through pointers and slices only,
		// whose min does not wait for their items' codecs: the
		// fields' are all known.
		for _, f := range fields {
			c.min += f.c.min
		}
	default:
		panic(fmt.Sprintf("pipeline: the cache of loaded records has no rule for %s (%s): add one to recordcodec.go", t, t.Kind()))
	}
	return c
}

func intCodec(size uintptr) (func(*encoder, unsafe.Pointer), func(*decoder, unsafe.Pointer)) {
	switch size {
	case 8:
		return func(e *encoder, p unsafe.Pointer) { e.b = binary.AppendVarint(e.b, *(*int64)(p)) },
			func(d *decoder, p unsafe.Pointer) { *(*int64)(p) = d.varint() }
	case 4:
		return func(e *encoder, p unsafe.Pointer) { e.b = binary.AppendVarint(e.b, int64(*(*int32)(p))) },
			func(d *decoder, p unsafe.Pointer) { *(*int32)(p) = int32(d.varint()) }
	case 2:
		return func(e *encoder, p unsafe.Pointer) { e.b = binary.AppendVarint(e.b, int64(*(*int16)(p))) },
			func(d *decoder, p unsafe.Pointer) { *(*int16)(p) = int16(d.varint()) }
	default:
		return func(e *encoder, p unsafe.Pointer) { e.b = binary.AppendVarint(e.b, int64(*(*int8)(p))) },
			func(d *decoder, p unsafe.Pointer) { *(*int8)(p) = int8(d.varint()) }
	}
}

func uintCodec(size uintptr) (func(*encoder, unsafe.Pointer), func(*decoder, unsafe.Pointer)) {
	switch size {
	case 8:
		return func(e *encoder, p unsafe.Pointer) { e.b = binary.AppendUvarint(e.b, *(*uint64)(p)) },
			func(d *decoder, p unsafe.Pointer) { *(*uint64)(p) = d.uvarint() }
	case 4:
		return func(e *encoder, p unsafe.Pointer) { e.b = binary.AppendUvarint(e.b, uint64(*(*uint32)(p))) },
			func(d *decoder, p unsafe.Pointer) { *(*uint32)(p) = uint32(d.uvarint()) }
	case 2:
		return func(e *encoder, p unsafe.Pointer) { e.b = binary.AppendUvarint(e.b, uint64(*(*uint16)(p))) },
			func(d *decoder, p unsafe.Pointer) { *(*uint16)(p) = uint16(d.uvarint()) }
	default:
		return func(e *encoder, p unsafe.Pointer) { e.b = binary.AppendUvarint(e.b, uint64(*(*uint8)(p))) },
			func(d *decoder, p unsafe.Pointer) { *(*uint8)(p) = uint8(d.uvarint()) }
	}
}

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }

// length writes a slice's length, telling nil from empty.
func (e *encoder) length(n int, isNil bool) {
	if isNil {
		e.b = append(e.b, 0)
		return
	}
	e.uvarint(uint64(n) + 1)
}

func (d *decoder) byte() byte {
	if d.err != nil || d.at >= len(d.b) {
		d.err = errRecordsShort
		return 0
	}
	d.at++
	return d.b[d.at-1]
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	if d.at < len(d.b) && d.b[d.at] < 0x80 { // most of them: lengths, small numbers
		d.at++
		return uint64(d.b[d.at-1])
	}
	v, n := binary.Uvarint(d.b[d.at:])
	if n <= 0 {
		d.err = errRecordsShort
		return 0
	}
	d.at += n
	return v
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	// Zig-zag, as binary.AppendVarint writes it.
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

// count reads a number of items of at least min bytes each (1 when
// less), refusing one that what is left could not hold.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if d.err == nil && n > uint64((len(d.b)-d.at)/max(min, 1)) {
		d.err = errRecordsShort
	}
	if d.err != nil {
		return 0
	}
	return int(n)
}

// length reads what encoder.length wrote, for items of at least min
// bytes each (1 when less), refusing a length that what is left could
// not hold.
func (d *decoder) length(min int) (n int, isNil bool) {
	u := d.uvarint()
	if u == 0 || d.err != nil {
		return 0, true
	}
	if u-1 > uint64((len(d.b)-d.at)/max(min, 1)) {
		d.err = errRecordsShort
		return 0, true
	}
	return int(u - 1), false
}

// string reads a string that shares d's buffer.
func (d *decoder) string() string {
	n := d.count(1)
	if n == 0 {
		return ""
	}
	s := unsafe.String(&d.b[d.at], n)
	d.at += n
	return s
}

// bytes reads a length and as many bytes, sharing d's buffer.
func (d *decoder) bytes() []byte {
	n := d.count(1)
	b := d.b[d.at : d.at+n : d.at+n]
	d.at += n
	return b
}
