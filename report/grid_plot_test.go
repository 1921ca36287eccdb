package report

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func rfmTestValues() [5][5]float64 {
	var v [5][5]float64
	for i := range v {
		for j := range v[i] {
			v[i][j] = float64((i+1)*(j+2)*37) + 3
		}
	}
	return v
}

func testSegment(r, fm int) string { return fmt.Sprintf("seg_r%d_fm%d", r, fm) }

func TestGridPlots(t *testing.T) {
	dir := os.Getenv("SEGMENT_PLOT_DIR") // set to look at the images
	plots := map[string]func(f Format) ([]byte, error){
		"rfm_grid": func(f Format) ([]byte, error) {
			var b bytes.Buffer
			err := RFMGridPlot(&b, f, "Customers by R and FM", rfmTestValues(), testSegment, func(v float64) string { return FormatInt(int64(v)) })
			return b.Bytes(), err
		},
		"migration": func(f Format) ([]byte, error) {
			var b bytes.Buffer
			err := MigrationPlot(&b, f, "Cluster migration", []string{"a-long-cluster-key", "b"}, []string{"a-long-cluster-key", "b", "c"},
				[][]int{{900, 50, 0}, {10, 400, 90}})
			return b.Bytes(), err
		},
	}
	for name, mk := range plots {
		t.Run(name, func(t *testing.T) {
			b, err := mk(PNG)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if sz := img.Bounds().Size(); sz.X < 960 || sz.Y < 600 {
				t.Errorf("image %v smaller than the default 960×600", sz)
			}
			s1, err1 := mk(SVG)
			s2, err2 := mk(SVG)
			if err1 != nil || err2 != nil || !bytes.Equal(s1, s2) {
				t.Errorf("SVG not deterministic (%v, %v)", err1, err2)
			}
			if dir != "" {
				os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644)
			}
		})
	}
}

func TestGridPlotErrors(t *testing.T) {
	var b bytes.Buffer
	if err := MigrationPlot(&b, PNG, "x", nil, nil, nil); err == nil {
		t.Error("empty migration: no error")
	}
	if err := MigrationPlot(&b, PNG, "x", []string{"a"}, []string{"b"}, [][]int{{-1}}); err == nil {
		t.Error("negative count: no error")
	}
	v := rfmTestValues()
	v[2][2] = -5
	if err := RFMGridPlot(&b, PNG, "x", v, testSegment, func(float64) string { return "" }); err == nil {
		t.Error("negative cell: no error")
	}
	mustPanicReport(t, func() { MigrationPlot(&b, PNG, "x", []string{"a"}, []string{"b"}, [][]int{{1, 2}}) })
}

func mustPanicReport(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	f()
}
