package data

import (
	"encoding/binary"
	"math"
	"math/big"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"
)

// leafType is what the reader needs to know about a Parquet leaf column's
// physical and logical type.
type leafType struct {
	phys     parquet.Kind
	name     string // as parquet-go prints it, for messages
	decimal  bool
	scale    int
	unsigned bool
	tsUnit   time.Duration // TIMESTAMP unit; 0 when not a timestamp
	tsUTC    bool          // TIMESTAMP isAdjustedToUTC
	date     bool          // DATE (INT32 days since 1970-01-01)
	clock    bool          // TIME (time of day)
	uuid     bool          // UUID (16 bytes, read as its canonical text)
}

func leafTypeOf(t parquet.Type) leafType {
	lt := leafType{phys: t.Kind(), name: t.String()}
	if l := t.LogicalType(); l != nil {
		switch v := l.Value.(type) {
		case *format.DecimalType:
			lt.decimal, lt.scale = true, int(v.Scale)
		case *format.IntType:
			lt.unsigned = !v.IsSigned
		case *format.DateType:
			lt.date = true
		case *format.UUIDType:
			lt.uuid = lt.phys == parquet.FixedLenByteArray
		case *format.TimeType:
			lt.clock = true
		case *format.TimestampType:
			lt.tsUTC = v.IsAdjustedToUTC
			switch v.Unit.Value.(type) {
			case *format.MilliSeconds:
				lt.tsUnit = time.Millisecond
			case *format.MicroSeconds:
				lt.tsUnit = time.Microsecond
			case *format.NanoSeconds:
				lt.tsUnit = time.Nanosecond
			}
		}
	}
	return lt
}

// isTime reports whether the column holds points in time.
func (lt leafType) isTime() bool {
	return lt.phys == parquet.Int96 || (lt.tsUnit != 0 && lt.phys == parquet.Int64) || (lt.date && lt.phys == parquet.Int32)
}

// wall reports whether the column's times are clock readings without a
// zone: a DATE, or a TIMESTAMP not adjusted to UTC (an INT96 is an
// instant, as Spark and Hive write it).
func (lt leafType) wall() bool {
	return lt.date && lt.phys == parquet.Int32 || lt.tsUnit != 0 && lt.phys == parquet.Int64 && !lt.tsUTC
}

// isBytes reports whether the column holds byte strings (not decimals).
func (lt leafType) isBytes() bool {
	return (lt.phys == parquet.ByteArray || lt.phys == parquet.FixedLenByteArray) && !lt.decimal
}

// natural returns the Kind a whole-table read gives the column.
func (lt leafType) natural() Kind {
	switch {
	case lt.isTime():
		return KindTime
	case lt.decimal, lt.phys == parquet.Float, lt.phys == parquet.Double:
		return KindFloat64
	case lt.phys == parquet.Int32, lt.phys == parquet.Int64:
		return KindInt64
	case lt.phys == parquet.Boolean:
		return KindBool
	}
	return KindString
}

// canRead reports whether values of lt can be read as kind k.
func (lt leafType) canRead(k Kind) bool {
	switch k {
	case KindString:
		return true
	case KindFloat64:
		return lt.decimal || lt.isBytes() || lt.phys == parquet.Float || lt.phys == parquet.Double ||
			((lt.phys == parquet.Int32 || lt.phys == parquet.Int64) && !lt.isTime() && !lt.clock)
	case KindInt64:
		return (lt.phys == parquet.Int32 || lt.phys == parquet.Int64) && !lt.decimal && !lt.isTime()
	case KindBool:
		return lt.phys == parquet.Boolean
	case KindTime:
		return lt.isTime() || lt.isBytes()
	}
	return false
}

// valuesKind maps a physical type to parquet-go's encoding.Kind, which
// counts from 1 (0 is Undefined) where parquet.Kind counts from 0.
func valuesKind(k parquet.Kind) encoding.Kind {
	switch k {
	case parquet.Boolean:
		return encoding.Boolean
	case parquet.Int32:
		return encoding.Int32
	case parquet.Int64:
		return encoding.Int64
	case parquet.Int96:
		return encoding.Int96
	case parquet.Float:
		return encoding.Float
	case parquet.Double:
		return encoding.Double
	case parquet.ByteArray:
		return encoding.ByteArray
	case parquet.FixedLenByteArray:
		return encoding.FixedLenByteArray
	}
	return encoding.Undefined
}

// julianUnixEpoch is the Julian day number of 1970-01-01.
const julianUnixEpoch = 2440588

// int96Time converts an INT96 timestamp (Impala, Hive, Spark): 12
// little-endian bytes, nanoseconds within the day then the Julian day
// number. parquet-go's own conversion of INT96 to time.Time drops the day,
// so the raw value is converted here. INT96 times are UTC instants (Spark
// writes them so).
func int96Time(v deprecated.Int96) time.Time {
	nanos := int64(uint64(v[1])<<32 | uint64(v[0]))
	day := int64(v[2])
	return time.Unix((day-julianUnixEpoch)*86400, nanos).UTC()
}

// decimalBytes converts a big-endian two's complement unscaled decimal.
func decimalBytes(b []byte, scale int) float64 {
	if len(b) == 0 {
		return 0
	}
	if len(b) <= 8 {
		var buf [8]byte
		if b[0]&0x80 != 0 {
			buf = [8]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
		}
		copy(buf[8-len(b):], b)
		return float64(int64(binary.BigEndian.Uint64(buf[:]))) / math.Pow10(scale)
	}
	x := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(len(b)*8)))
	}
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(x), new(big.Float).SetFloat64(math.Pow10(scale))).Float64()
	return f
}

// appendUUID appends the 16 bytes of a UUID in its canonical text form,
// as databases print it (8-4-4-4-12 lower-case hex digits).
func appendUUID(dst []byte, b []byte) []byte {
	const hex = "0123456789abcdef"
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hex[c>>4], hex[c&15])
	}
	return dst
}
