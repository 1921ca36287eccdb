package clv_test

import (
	"fmt"
	"time"

	"github.com/segment-tool/segment/clv"
)

// A customer of the CDNOW sample, scored with the published BG/NBD fit
// (Fader, Hardie & Lee 2005a): first purchase on 1997-01-01, repeat
// purchases on 1997-01-18 and 1997-08-02, calibration to 1997-09-30.
func ExampleBGNBD_ConditionalExpected() {
	day := func(m time.Month, d int) int { return clv.DayNumber(time.Date(1997, m, d, 0, 0, 0, 0, time.UTC)) }
	s, _ := clv.Summary([]int{day(1, 1), day(1, 18), day(8, 2)}, day(9, 30), clv.Week)
	m := clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	e, _ := m.ConditionalExpected(s, 39)
	fmt.Printf("x=%d t_x=%.2f T=%.2f\n", s.X, s.Tx, s.T)
	fmt.Printf("P(alive)=%.3f E[Y(39)]=%.3f\n", m.PAlive(s), e)
	// Output:
	// x=2 t_x=30.43 T=38.86
	// P(alive)=0.727 E[Y(39)]=1.226
}
