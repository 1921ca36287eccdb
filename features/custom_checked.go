package features

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
)

// divisions makes every division of an expression a call of
// checkedDivision: x / 0 is +Inf in the expr language, and "monetary /
// frequency > 100" would put every prospect (frequency 0) in the group.
type divisions struct{}

// Visit replaces a division by a call, and int() by checkedInt.
func (divisions) Visit(n *ast.Node) {
	if b, ok := (*n).(*ast.BinaryNode); ok && b.Operator == "/" {
		ast.Patch(n, &ast.CallNode{Callee: &ast.IdentifierNode{Value: divisionFunc}, Arguments: []ast.Node{b.Left, b.Right}})
	}
	if b, ok := (*n).(*ast.BuiltinNode); ok && b.Name == "int" && len(b.Arguments) == 1 {
		ast.Patch(n, &ast.CallNode{Callee: &ast.IdentifierNode{Value: intFunc}, Arguments: b.Arguments})
	}
}

// intFunc is the name of int()'s checked function in expressions.
const intFunc = "__segment_int"

// checkedInt is the expr language's int() of a number, refusing a value
// no int holds (int(monetary * 1e20) gave the least int, silently, and
// emptied the group), and of a string's digits.
var checkedInt = expr.Function(intFunc, func(p ...any) (any, error) {
	switch x := p[0].(type) {
	case int:
		return x, nil
	case float64:
		if !(x > -(1<<63) && x < 1<<63) {
			return nil, fmt.Errorf("int(%v): beyond the range of a whole number", x)
		}
		return int(x), nil
	case string:
		v, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil {
			return nil, fmt.Errorf("int(%q): not a whole number", x)
		}
		return v, nil
	}
	return nil, fmt.Errorf("int() of a %T", p[0])
}, new(func(float64) int), new(func(int) int), new(func(string) int))

// divisionFunc is the name of the division's function in expressions.
const divisionFunc = "__segment_div"

// checkedDivision divides numbers, and refuses a division by zero: the
// evaluation stops, naming the customer and the group, and the user
// guards the division ("frequency > 0 && monetary / frequency > 100").
var checkedDivision = expr.Function(divisionFunc, func(p ...any) (any, error) {
	d := asFloat(p[1])
	if d == 0 {
		return nil, errors.New("division by zero: guard it (frequency > 0 && monetary / frequency > 100)")
	}
	return asFloat(p[0]) / d, nil
}, new(func(float64, float64) float64), new(func(int, int) float64), new(func(float64, int) float64), new(func(int, float64) float64))

// asFloat is a number of an expression (an int or a float64) as a float64.
func asFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	panic(fmt.Sprintf("features: division of a %T", v))
}
