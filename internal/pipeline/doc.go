// Package pipeline runs segment's job as a library: the stages of a run,
// each a function that takes values and returns values, and Run, which
// calls them in order and swaps the outputs into place.
//
//	Inputs   order lines (or a feature table), customers, events, products
//	  │      ReadTables: orders aggregated per customer, the optional tables joined
//	  ▼
//	Tables ──► Segment: RFM scores, seed groups, custom groups ──► Segments
//	  │
//	  ▼      SelectBuyers: who is clustered
//	Buyers ──► BuildMatrix: informative features, transform ──► Matrix
//	                                                              │
//	         Cluster: elbow sweep, fixed k or a saved model  ◄────┘
//	  ▼
//	Clusters ──► Profile: medians, names, actions ──► MatchPrevious: stable keys
//	  ▼
//	Outputs  assignments, model.json, run.json, plots, report.md, exports
//
// Every stage can be called alone; the command line (cmd/segment) only
// turns flags and the config file into Options and calls Run, and another
// front end (a scale-out runner, a test, a program embedding segment) can
// call the stages it needs. Stages return errors with the file, column and
// row of bad input; they log through Options.Log and never print.
package pipeline
