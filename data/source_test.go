package data

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestExpandPath(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{
		"country=RO/part-00000.parquet",
		"country=RO/_SUCCESS",
		"country=RO/.part-00000.parquet.crc",
		"country=DE/part-00001.snappy.parquet",
		"_delta_log/00000.parquet",
		".hidden/part.parquet",
		"extra.csv",
		"more.csv.gz",
		"notes.txt",
	} {
		writeFile(t, root, name, "x")
	}
	other := t.TempDir()
	noExt := writeFile(t, other, "sniffed", "PAR1 and the rest")
	gzNoExt := writeFile(t, other, "zipped", "\x1f\x8b...")
	plain := writeFile(t, other, "plain", "a,b\n")
	empty := t.TempDir()
	// A folder of links to the day's exports: each link is its part.
	linked := t.TempDir()
	if err := os.Symlink(filepath.Join(root, "extra.csv"), filepath.Join(linked, "today.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "country=RO"), filepath.Join(linked, "folder.csv")); err != nil {
		t.Fatal(err)
	}
	// "latest" links to a part the folder holds, or to one another link
	// names, are not second parts.
	writeFile(t, linked, "day-1.csv", "x")
	for _, l := range []struct{ target, name string }{{"day-1.csv", "latest.csv"}, {filepath.Join(root, "extra.csv"), "zz-also-today.csv"}} {
		if err := os.Symlink(l.target, filepath.Join(linked, l.name)); err != nil {
			t.Fatal(err)
		}
	}
	j := func(p string) string { return filepath.Join(root, p) }
	tests := []struct {
		name string
		path string
		want []inputFile
		err  string
	}{
		{"directory of parts", root, []inputFile{
			{j("country=DE/part-00001.snappy.parquet"), formatParquet},
			{j("country=RO/part-00000.parquet"), formatParquet},
			{j("extra.csv"), formatCSV},
			{j("more.csv.gz"), formatCSVGzip},
		}, ""},
		{"glob", j("country=*/*.parquet"), []inputFile{
			{j("country=DE/part-00001.snappy.parquet"), formatParquet},
			{j("country=RO/part-00000.parquet"), formatParquet},
		}, ""},
		{"glob of directories", j("country=*"), []inputFile{
			{j("country=DE/part-00001.snappy.parquet"), formatParquet},
			{j("country=RO/part-00000.parquet"), formatParquet},
		}, ""},
		{"one file", j("extra.csv"), []inputFile{{j("extra.csv"), formatCSV}}, ""},
		{"parquet without extension", noExt, []inputFile{{noExt, formatParquet}}, ""},
		{"gzip without extension", gzNoExt, []inputFile{{gzNoExt, formatCSVGzip}}, ""},
		{"text without extension", plain, []inputFile{{plain, formatCSV}}, ""},
		{"no such file", j("missing.parquet"), nil, "no such file"},
		{"glob matching nothing", j("*.arrow"), nil, "no .parquet, .csv or .csv.gz files"},
		{"empty directory", empty, nil, "no .parquet, .csv or .csv.gz files"},
		{"directory of links", linked, []inputFile{{filepath.Join(linked, "day-1.csv"), formatCSV}, {filepath.Join(linked, "today.csv"), formatCSV}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := expandPath(tc.path)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v\nwant %v", got, tc.want)
			}
		})
	}
}

// TestReadOrdersDirectory reads a directory of Parquet and CSV parts in
// path order and fingerprints every file.
func TestReadOrdersDirectory(t *testing.T) {
	root := t.TempDir()
	part := func(name string, first, n int) string {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFixture(t, path, n, []fixCol{
			{"customer_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("C%d", first+i)) }},
			{"order_id", parquet.String(), func(i int) parquet.Value { return strVal(fmt.Sprintf("O%d", first+i)) }},
			{"time", parquet.Timestamp(parquet.Millisecond), func(i int) parquet.Value { return i64Val(t0.UnixMilli()) }},
			{"amount", parquet.Leaf(parquet.DoubleType), func(i int) parquet.Value { return f64Val(float64(first + i)) }},
		})
		return path
	}
	files := []string{
		part("year=2010/part-0.parquet", 0, 3),
		writeFile(t, root, "year=2011/part-0.csv", "customer_id,order_id,time,amount\nC3,O3,2011-12-09 12:50:00,3\n"),
		part("year=2011/part-1.parquet", 4, 2),
	}
	writeFile(t, root, "year=2011/_SUCCESS", "")
	lines, _, stats, err := readAll(t, OrderSource{Path: root})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range lines {
		ids = append(ids, l.OrderID)
		if l.Amount != float64(len(ids)-1) || !l.Time.Equal(t0) {
			t.Errorf("line %+v", l)
		}
	}
	if want := []string{"O0", "O1", "O2", "O3", "O4", "O5"}; !slices.Equal(ids, want) {
		t.Errorf("order ids %v, want %v", ids, want)
	}
	rows := []int64{3, 1, 2}
	if len(stats.Files) != len(files) {
		t.Fatalf("stats.Files = %+v", stats.Files)
	}
	for i, f := range stats.Files {
		b, err := os.ReadFile(files[i])
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if f.Path != files[i] || f.Rows != rows[i] || f.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("file %d: %+v, want %s with %d rows and sha256 %x", i, f, files[i], rows[i], sum)
		}
	}
}

// TestReadOrdersSameBytes: two parts of the same bytes (a part copied
// twice, an export beside its backup or its gzip copy) stop the read,
// naming both, since every line would count twice; two empty parts (a
// header alone) do not.
func TestReadOrdersSameBytes(t *testing.T) {
	root := t.TempDir()
	body := "customer_id,order_id,time,amount\nC1,O1,2011-12-09 12:50:00,3\n"
	writeFile(t, root, "day=1/orders.csv", body)
	writeFile(t, root, "day=2/orders.csv", "customer_id,order_id,time,amount\nC2,O2,2011-12-09 12:50:00,4\n")
	writeFile(t, root, "day=2/orders-copy.csv", body)
	_, _, _, err := readAll(t, OrderSource{Path: root})
	if err == nil || !strings.Contains(err.Error(), "day=1/orders.csv and "+filepath.Join(root, "day=2/orders-copy.csv")+" hold the same bytes") {
		t.Errorf("err = %v, want both files named", err)
	}
	empty := t.TempDir()
	writeFile(t, empty, "a.csv", "customer_id,order_id,time,amount\n")
	writeFile(t, empty, "b.csv", "customer_id,order_id,time,amount\n")
	writeFile(t, empty, "c.csv", body)
	if _, _, _, err := readAll(t, OrderSource{Path: empty}); err != nil {
		t.Errorf("header-only parts: %v", err)
	}
	// An export beside its gzip copy: the same lines, whichever is read
	// first.
	for _, names := range [][2]string{{"a.csv", "a.csv.gz"}, {"b.csv.gz", "c.csv"}} {
		dir := t.TempDir()
		writeFile(t, dir, names[0], body)
		writeFile(t, dir, names[1], body)
		_, _, _, err := readAll(t, OrderSource{Path: dir})
		if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, names[0])) || !strings.Contains(err.Error(), filepath.Join(dir, names[1])) ||
			!strings.Contains(err.Error(), "(decompressed)") || !strings.Contains(err.Error(), "hold the same bytes") {
			t.Errorf("%s beside %s: err = %v, want both named, the compressed one decompressed", names[0], names[1], err)
		}
	}
}

// TestReadOrdersPartlyAbsent: an optional column some parts have and
// others lack is listed with the parts that lack it; one no part has is
// Absent only.
func TestReadOrdersPartlyAbsent(t *testing.T) {
	root := t.TempDir()
	writeFile(t, root, "a.csv", "customer_id,order_id,time,amount,category\nC1,O1,2011-12-09 12:50:00,3,toys\n")
	b := writeFile(t, root, "b.csv", "customer_id,order_id,time,amount\nC2,O2,2011-12-09 12:50:00,4\n")
	_, _, stats, err := readAll(t, OrderSource{Path: root})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string][]string{"category": {b}}; !reflect.DeepEqual(stats.PartlyAbsent, want) {
		t.Errorf("PartlyAbsent %v, want %v", stats.PartlyAbsent, want)
	}
	if !slices.Contains(stats.Absent, "coupon") || slices.Contains(stats.Absent, "category") {
		t.Errorf("Absent %v, want coupon and not category", stats.Absent)
	}
}
