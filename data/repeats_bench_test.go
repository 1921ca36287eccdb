package data

import (
	"fmt"
	"testing"
)

// BenchmarkRepeats counts a million distinct lines of 8.5 orders a
// customer, 2.5 lines an order, as the reader does with duplicates kept.
func BenchmarkRepeats(b *testing.B) {
	lines := make([]OrderLine, 1_000_000)
	for i := range lines {
		o := i * 2 / 5
		lines[i] = OrderLine{CustomerID: fmt.Sprintf("C%07d", o*2/17), OrderID: fmt.Sprintf("O%08d", o), ProductID: fmt.Sprintf("P%04d", i%997), Amount: float64(i % 89)}
	}
	for b.Loop() {
		var s repeatSampler
		for i := range lines {
			s.add(&lines[i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(lines)), "ns/line")
}
