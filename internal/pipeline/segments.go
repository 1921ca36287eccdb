package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/segment-tool/segment/features"
)

// Segments are the rule-based labels of every customer, with orders or
// not: RFM scores and segment, the seed groups and the custom groups.
type Segments struct {
	// All is the feature table with a row of zeros for each customer
	// without orders (from the customers or events table) and the events
	// columns; RowOf[i] is row i's row in Tables.Table, or −1.
	All   *features.Table
	RowOf []int

	RFM        *features.RFM // nil when the table lacks recency, frequency or monetary
	Cuts       features.RFMCuts
	FrozenFrom string // model.json the cuts came from; "" when fitted on this run

	Attrs       features.Attributes // city, country and channel of every row of All
	Groups      []features.Group    // seed groups, then custom groups
	Thresholds  features.Thresholds
	CustomCount int // the last CustomCount groups are custom groups
}

// Segment joins the prospects and events to the customers with orders,
// scores RFM (with cut points fitted on the customers with orders, or the
// saved model's, rfm.freeze_from's, and rfm.recency_days) and computes the
// seed and custom groups. It returns ctx.Err() once ctx is done, checked
// between its passes over the customers and within the groups.
func Segment(ctx context.Context, in *Tables, o *Options) (*Segments, error) {
	return segment(ctx, in, o, nil)
}

// segment is Segment with the seed groups' store-wide cuts given (nil:
// computed from the customers of in, see features.SeedGroupsWith).
func segment(ctx context.Context, in *Tables, o *Options, cuts *features.GroupCuts) (*Segments, error) {
	extra := slices.Clone(in.Prospects)
	if in.Events != nil {
		extra = append(extra, in.Events.Agg.IDs()...)
	}
	return segmentRows(ctx, in, in.Table.WithRows(extra), o, cuts)
}

// segmentHeader is segment over no customer: the Segments' columns,
// attributes, groups (which are computed, their definitions and cuts) and
// RFM cut points, without a customer's features, scores or memberships
// (empty where a run has them, nil where it has not). A scale-out finish
// reads those from job 2's shards; RFM.Collapsed, which depends on every
// customer's values, is left empty (shardPasses.collapsed counts it).
func segmentHeader(ctx context.Context, in *Tables, o *Options, cuts *features.GroupCuts) (*Segments, error) {
	return segmentRows(ctx, in, in.Table.Rows([]int{}), o, cuts)
}

// prospectMembers counts the members of custom group g, which reads names,
// who have no value for one of them: a customer without orders (RowOf −1)
// and an order feature, or a customer without an RFM score (a prospect)
// and a score. Such values read as 0 in the expression (recency_days <
// 30, r_score < 2 hold for them). It returns the count and the names.
func (s *Segments) prospectMembers(g features.Group, names []string) (int, []string) {
	events := features.EventColumns()
	var orderRead, scoreRead []string
	for _, name := range names {
		switch {
		case name == "r_score" || name == "f_score" || name == "m_score":
			scoreRead = append(scoreRead, name)
		case s.All.Col(name) != nil && !slices.Contains(events, name):
			orderRead = append(orderRead, name)
		}
	}
	if orderRead == nil && (scoreRead == nil || s.RFM == nil) {
		return 0, nil
	}
	n := 0
	for i, in := range g.Members {
		if in && (orderRead != nil && s.RowOf[i] < 0 || scoreRead != nil && s.RFM != nil && s.RFM.R[i] == 0) {
			n++
		}
	}
	return n, append(orderRead, scoreRead...)
}

// segmentRows is segment of the customers of all: in.Table's rows with
// those of in's other tables added (WithRows), or none of them.
func segmentRows(ctx context.Context, in *Tables, all *features.Table, o *Options, cuts *features.GroupCuts) (*Segments, error) {
	s := &Segments{Thresholds: o.Thresholds, All: all}
	s.RowOf = make([]int, s.All.N())
	j := 0
	for i, id := range s.All.IDs {
		s.RowOf[i] = -1
		if j < in.Table.N() && in.Table.IDs[j] == id {
			s.RowOf[i] = j
			j++
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.Events != nil {
		cols, err := in.Events.Agg.Columns(ctx, s.All.IDs)
		if err != nil {
			return nil, err
		}
		t, err := s.All.WithColumns(features.EventColumns(), cols)
		if err != nil {
			return nil, err
		}
		s.All = t
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.All.Col(features.RecencyDays) != nil && s.All.Col(features.Frequency) != nil && s.All.Col(features.Monetary) != nil {
		switch m, path := o.Model, o.RFMFreezeFrom; {
		case m != nil && m.RFMCuts == nil:
			return nil, fmt.Errorf("model %s: no rfm_cuts (fitted on a feature table without recency_days, frequency and monetary)", o.ModelPath)
		case m != nil:
			s.Cuts, s.FrozenFrom = *m.RFMCuts, o.ModelPath
		case path != "":
			cuts, err := readRFMCuts(path)
			if err != nil {
				return nil, err
			}
			s.Cuts, s.FrozenFrom = cuts, path
		default:
			s.Cuts = features.FitRFMCuts(in.Table)
		}
		if days := o.RecencyDays; days != nil && o.Model == nil {
			s.Cuts = s.Cuts.WithRecencyDays(days)
		}
		rfm, err := features.ScoreRFM(s.All, s.Cuts)
		if err != nil {
			return nil, err
		}
		s.RFM = rfm
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var profile *features.Profile
	var seg features.Segments
	if in.Customers != nil {
		profile, seg.Country, seg.AgeBand = in.Customers.Profile(s.All.IDs)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.Attrs = mergeAttributes(s.All, profile, seg.Country, o)
	profile, seg.Country, seg.Channel = s.Attrs.WithCity(profile), s.Attrs.Country, s.Attrs.Channel
	seed, err := features.SeedGroupsWith(ctx, s.All, profile, s.Thresholds, cuts)
	if err != nil {
		return nil, err
	}
	// A feature table's column named like a group the data made (city_
	// groups are named after the customers table's cities): the outputs
	// would hold the name twice, and fail after all the work.
	for _, g := range seed {
		if g.Members != nil && slices.Contains(s.All.Names, g.ID) {
			return nil, fmt.Errorf("%s: column %q has the name of the seed group %s, a column the assignments add: rename the column", o.Features, g.ID, g.ID)
		}
	}
	s.Groups = seed
	if cg := o.Custom; cg != nil && cg.Len() > 0 {
		seg.RFM, seg.Seed, seg.Profile = s.RFM, seed, profile
		custom, err := cg.Eval(ctx, s.All, seg)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			return nil, fmt.Errorf("config %s: groups: %w", o.ConfigPath, err)
		}
		s.Groups = append(s.Groups, custom...)
		s.CustomCount = len(custom)
		for i, g := range custom {
			if n, read := s.prospectMembers(g, cg.Names(i)); n > 0 {
				o.logger().Warn("custom group: holds customers without a purchase, whose order features and RFM scores it reads as 0: add frequency > 0 && to leave them out, or test rfm_segment == \"prospects\" to mean them",
					"group", g.ID, "customers", n, "reads", strings.Join(read, ", "))
			}
		}
	}
	return s, nil
}

// mergeAttributes merges the customers table's profile city and country
// (p may be nil) with the order lines' for the rows of all, treating the
// attributes mapped explicitly (o.AttributesMapped) as present.
func mergeAttributes(all *features.Table, p *features.Profile, country []string, o *Options) features.Attributes {
	var city []string
	if p != nil {
		city = p.City
	}
	return features.MergeAttributes(all, city, country, o.AttributesMapped)
}

// readRFMCuts reads the RFM cut points saved in a previous run's model.json.
func readRFMCuts(path string) (features.RFMCuts, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return features.RFMCuts{}, fmt.Errorf("rfm.freeze_from: %w", err)
	}
	var m struct {
		RFMCuts *features.RFMCuts `json:"rfm_cuts"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return features.RFMCuts{}, fmt.Errorf("rfm.freeze_from %s: %w", path, err)
	}
	if m.RFMCuts == nil {
		return features.RFMCuts{}, fmt.Errorf("rfm.freeze_from %s: no rfm_cuts in the model", path)
	}
	return *m.RFMCuts, nil
}
