// Package pipeline runs segment's job as a library: the stages of a run,
// each a function that takes values and returns values, and Run, which
// calls them in order and swaps the outputs into place.
//
//	Inputs      order lines (or a feature table), customers, events, products
//	  │         AggregateOrders (products joined) or ReadFeatureTable,
//	  ▼         then JoinCustomers, JoinEvents
//	Tables ───► Segment: RFM scores, seed groups, custom groups ───► Segments
//	  │
//	  ▼         SelectBuyers: who is clustered
//	Buyers ───► BuildMatrix: informative features, transform ───► Matrix
//	                                                                 │
//	            Cluster: elbow sweep, fixed k or a saved model  ◄────┘
//	  ▼
//	Clustering ► Profile: medians, names, actions ► MatchPrevious: stable keys ► ApplyNames
//	  ▼
//	Result ───► WriteOutputs: assignments, model.json, plots, report.md and .html, exports
//	       └──► Manifest: run.json
//
// Every stage can be called alone; the command line (cmd/segment) turns
// flags and the config file into Options (Options.ApplyConfig,
// ScoringOptions) and calls Run, and another front end (a scale-out runner,
// a test, a program embedding segment) can call the stages it needs.
// Stages return errors with the file, column and row of bad input; those
// that log take a *slog.Logger (Options.Log or an argument; nil discards)
// and none prints.
package pipeline
