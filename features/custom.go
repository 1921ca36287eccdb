package features

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// CustomGroup is a dynamic group defined in the config: the customers for
// whom When is true. When is an expression in the expr language
// (github.com/expr-lang/expr) over the customer's features, for example
//
//	city == "Bucharest" && frequency >= 2
//	rfm_segment in ["at_risk", "cant_lose_them"] && mix_toys > 0.5
//
// Names it may use: every numeric feature (recency_days, monetary,
// mix_<category>, the events features, …) as a number; r_score, f_score
// and m_score as integers (0 for prospects); rfm_segment, top_category,
// city, country, channel and age_band as strings; every seed group (vip_top5,
// city_<slug>, …), newsletter and b2b as booleans. Expressions have no side
// effects and cannot read files or the clock (now() is disabled).
type CustomGroup struct {
	Name string
	When string
}

// ExprError is a custom group whose expression cannot be used: a syntax
// error, an unknown name, a type error or a result that is not boolean.
// Line and Column (1-based) locate the error in When when known (0
// otherwise).
type ExprError struct {
	Group        string
	Line, Column int
	Msg          string
}

func (e *ExprError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("group %q: when: %s (line %d, column %d)", e.Group, e.Msg, e.Line, e.Column)
	}
	return fmt.Sprintf("group %q: when: %s", e.Group, e.Msg)
}

// Names of the non-numeric values custom groups may use.
const (
	exprRFMSegment  = "rfm_segment"
	exprTopCategory = "top_category"
	exprCity        = "city"
	exprCountry     = "country"
	exprChannel     = "channel"
	exprAgeBand     = "age_band"
	exprNewsletter  = "newsletter"
	exprB2B         = "b2b"
)

var (
	groupName   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	exprStrings = []string{exprRFMSegment, exprTopCategory, exprCity, exprCountry, exprChannel, exprAgeBand}
	exprScores  = []string{"r_score", "f_score", "m_score"}
	exprNumbers = append(BaseColumns(), PremiumShare, NewProductShare, LifetimeFrequency,
		Sessions30d, Views, CartAdds, AbandonedCarts, ViewsWithoutPurchase)
)

// MaxExprBytes is the longest a custom group's expression may be: far
// beyond any rule a person writes, short of what makes its parse costly.
const MaxExprBytes = 10_000

// CompiledGroups are custom groups checked and compiled, ready to evaluate.
type CompiledGroups struct {
	groups []CustomGroup
	progs  []*vm.Program
	names  [][]string // identifiers each expression uses
}

// CompileGroups checks custom groups before any data is read: names must
// be lower-case identifiers, unique and distinct from the seed groups, the
// features and the assignments' other columns (AssignmentColumn); every When
// must be at most MaxExprBytes long, parse, use only known names (mix_ and
// city_ names are checked against the data later, by Eval) with matching
// types, and yield a boolean. The first problem is returned as an
// *ExprError (or a plain error for a bad name).
func CompileGroups(gs []CustomGroup) (*CompiledGroups, error) {
	c := &CompiledGroups{}
	seen := map[string]bool{}
	for _, g := range gs {
		switch {
		case !groupName.MatchString(g.Name):
			return nil, fmt.Errorf("features: group %q: name must match %s", g.Name, groupName)
		case seen[g.Name]:
			return nil, fmt.Errorf("features: group %q defined twice", g.Name)
		case slices.Contains(SeedGroupIDs, g.Name) || strings.HasPrefix(g.Name, "city_"):
			return nil, fmt.Errorf("features: group %q: the name of a seed group", g.Name)
		case slices.Contains(exprNumbers, g.Name) || slices.Contains(exprStrings, g.Name) ||
			slices.Contains(exprScores, g.Name) || strings.HasPrefix(g.Name, MixPrefix) ||
			g.Name == exprNewsletter || g.Name == exprB2B:
			return nil, fmt.Errorf("features: group %q: the name of a feature", g.Name)
		case AssignmentColumn(g.Name):
			return nil, fmt.Errorf("features: group %q: the name of a column the assignments hold beside the groups", g.Name)
		case strings.TrimSpace(g.When) == "":
			return nil, &ExprError{Group: g.Name, Msg: "empty expression"}
		case len(g.When) > MaxExprBytes:
			// The parser recurses at every parenthesis: 200,000 of them
			// took half a gigabyte before its node limit could apply.
			return nil, &ExprError{Group: g.Name, Msg: fmt.Sprintf("the expression is %d bytes long, more than %d", len(g.When), MaxExprBytes)}
		}
		seen[g.Name] = true
		tree, err := parser.Parse(g.When)
		if err != nil {
			return nil, exprError(g.Name, err)
		}
		idents := identifiers(tree.Node)
		prog, err := expr.Compile(g.When, expr.Env(protoEnv(idents)), expr.AsBool(), expr.DisableBuiltin("now"),
			expr.Patch(divisions{}), checkedDivision, checkedInt)
		if err != nil {
			return nil, exprError(g.Name, err)
		}
		c.groups = append(c.groups, g)
		c.progs = append(c.progs, prog)
		c.names = append(c.names, idents)
	}
	return c, nil
}

// exprError converts an expr error into an *ExprError with a 1-based
// position.
func exprError(group string, err error) *ExprError {
	var fe *file.Error
	if errors.As(err, &fe) {
		return &ExprError{Group: group, Line: fe.Line, Column: fe.Column + 1, Msg: fe.Message}
	}
	return &ExprError{Group: group, Msg: err.Error()}
}

// identifiers returns the distinct identifiers of an expression, sorted.
func identifiers(n ast.Node) []string {
	var v identVisitor
	ast.Walk(&n, &v)
	slices.Sort(v.names)
	return slices.Compact(v.names)
}

type identVisitor struct{ names []string }

func (v *identVisitor) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok {
		v.names = append(v.names, id.Value)
	}
}

// protoEnv returns an environment with a zero value of the right type for
// every name custom groups may use, plus the mix_ and city_ names the
// expression mentions (their existence is checked by Eval).
func protoEnv(idents []string) map[string]any {
	env := map[string]any{exprNewsletter: false, exprB2B: false}
	for _, n := range exprNumbers {
		env[n] = 0.0
	}
	for _, n := range exprStrings {
		env[n] = ""
	}
	for _, n := range exprScores {
		env[n] = 0
	}
	for _, id := range SeedGroupIDs {
		env[id] = false
	}
	for _, id := range idents {
		switch {
		case strings.HasPrefix(id, MixPrefix):
			env[id] = 0.0
		case strings.HasPrefix(id, "city_"):
			env[id] = false
		}
	}
	return env
}

// Names returns the names custom group i reads, sorted.
func (c *CompiledGroups) Names(i int) []string { return c.names[i] }

// Len returns the number of custom groups.
func (c *CompiledGroups) Len() int { return len(c.groups) }

// Has reports whether one of the custom groups is named name.
func (c *CompiledGroups) Has(name string) bool {
	if c == nil {
		return false
	}
	for _, g := range c.groups {
		if g.Name == name {
			return true
		}
	}
	return false
}

// Segments is what custom groups read besides the feature table: the RFM
// result (may be nil), the seed groups and the customers' profile (may be
// nil), all with one value per row of the table. The city (Profile.City),
// Country and Channel are the customer's, from the customers table or the
// order lines as the caller merges them; Table.City, Table.Country and
// Table.Channel are not read.
type Segments struct {
	RFM     *RFM
	Seed    []Group
	Profile *Profile
	Country []string // nil when no table has it
	Channel []string // nil when the order lines have none
	AgeBand []string // customers table; nil when absent
}

// Eval evaluates every custom group on every row of t. A name the run
// cannot provide (a mix_ column the data lacks, a group that was not
// computed, city when neither the customers table nor the order lines
// have one) is an *ExprError naming it.
//
// Eval returns ctx.Err() as soon as ctx is done, even in the middle of one
// customer's evaluation: the expr VM cannot be interrupted (a single
// evaluation is bounded only by its memory budget, and nested loops over
// one list are not), so the rows are evaluated on a goroutine of their own
// that checks ctx before each row and is left to finish the evaluation in
// progress, discarding it.
func (c *CompiledGroups) Eval(ctx context.Context, t *Table, s Segments) ([]Group, error) {
	get, err := c.bind(t, s)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	type result struct {
		groups []Group
		err    error
	}
	done := make(chan result, 1)
	go func() {
		g, err := c.eval(ctx.Done(), t, get)
		done <- result{g, err}
	}()
	select {
	case r := <-done:
		if errors.Is(r.err, errStopped) {
			return nil, ctx.Err()
		}
		return r.groups, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// errStopped is eval's error when stop is closed.
var errStopped = errors.New("features: custom groups: stopped")

// eval evaluates every group on every row, checking stop before each row
// (a slow expression can take a good fraction of a second per customer).
func (c *CompiledGroups) eval(stop <-chan struct{}, t *Table, get map[string]func(int) any) ([]Group, error) {
	n := t.N()
	out := make([]Group, len(c.groups))
	env := map[string]any{}
	var machine vm.VM
	for gi, g := range c.groups {
		out[gi] = Group{
			SegmentInfo: SegmentInfo{ID: g.Name, Definition: "custom: " + g.When, Action: "as defined by your team (custom group)"},
			Members:     make([]bool, n),
		}
		for i := range n {
			select {
			case <-stop:
				return nil, errStopped
			default:
			}
			for _, name := range c.names[gi] {
				env[name] = get[name](i)
			}
			v, err := machine.Run(c.progs[gi], env)
			if err != nil {
				e := exprError(g.Name, err)
				e.Msg = fmt.Sprintf("customer %q: %s", t.IDs[i], e.Msg)
				return nil, e
			}
			out[gi].Members[i] = v.(bool)
		}
	}
	return out, nil
}

// bind returns, for every name the expressions use, a function giving its
// value on a row.
func (c *CompiledGroups) bind(t *Table, s Segments) (map[string]func(int) any, error) {
	get := map[string]func(int) any{}
	p := s.Profile
	if p == nil {
		p = &Profile{}
	}
	for gi, names := range c.names {
		for _, name := range names {
			if _, done := get[name]; done {
				continue
			}
			f, needs := valueOf(name, t, s, p)
			if f == nil {
				return nil, &ExprError{Group: c.groups[gi].Name, Msg: fmt.Sprintf("%s is not available in this run (needs %s)", name, needs)}
			}
			get[name] = f
		}
	}
	return get, nil
}

// valueOf returns the accessor of a name, or nil and what it needs.
func valueOf(name string, t *Table, s Segments, p *Profile) (func(int) any, string) {
	strs := func(v []string, needs string) (func(int) any, string) {
		if v == nil {
			return nil, needs
		}
		return func(i int) any { return v[i] }, ""
	}
	bools := func(v []bool, needs string) (func(int) any, string) {
		if v == nil {
			return nil, needs
		}
		return func(i int) any { return v[i] }, ""
	}
	if col := t.Col(name); col != nil {
		return func(i int) any { return col[i] }, ""
	}
	switch name {
	case LifetimeFrequency: // without a window: frequency, over all history already
		if col := t.Col(Frequency); col != nil {
			return func(i int) any { return col[i] }, ""
		}
		return nil, "the feature " + Frequency
	case exprRFMSegment, "r_score", "f_score", "m_score":
		if s.RFM == nil {
			return nil, "RFM scores (recency_days, frequency and monetary)"
		}
		switch name {
		case "r_score":
			return func(i int) any { return int(s.RFM.R[i]) }, ""
		case "f_score":
			return func(i int) any { return int(s.RFM.F[i]) }, ""
		case "m_score":
			return func(i int) any { return int(s.RFM.M[i]) }, ""
		}
		return func(i int) any { return s.RFM.Segment(i) }, ""
	case exprTopCategory:
		return strs(t.TopCategory, "order lines with categories")
	case exprCity:
		return strs(p.City, needsCity)
	case exprCountry:
		return strs(s.Country, "a country column in the customers table or the orders")
	case exprChannel:
		return strs(s.Channel, "a channel column in the orders")
	case exprAgeBand:
		return strs(s.AgeBand, "the customers table with age_band")
	case exprNewsletter:
		return bools(p.Newsletter, "the customers table with newsletter")
	case exprB2B:
		return bools(p.B2B, "the customers table with b2b")
	}
	for _, g := range s.Seed {
		if g.ID == name {
			return bools(g.Members, g.Needs)
		}
	}
	switch {
	case strings.HasPrefix(name, MixPrefix):
		return nil, "a category mix column of that name; this run has " + strings.Join(mixNames(t), ", ")
	case strings.HasPrefix(name, "city_"):
		return nil, "a city among the top cities"
	}
	return nil, "a feature this run does not compute"
}

func mixNames(t *Table) []string {
	var out []string
	for _, n := range t.Names {
		if strings.HasPrefix(n, MixPrefix) {
			out = append(out, n)
		}
	}
	return out
}
