// Package clv fits buy-till-you-die models of customer behaviour and turns
// them into customer lifetime value.
//
// Three models, each in its own file:
//
//   - rfm.go: the models' sufficient statistics of one customer, (x, t_x, T):
//     x repeat purchases, t_x the time of the last purchase and T the age,
//     both measured from the first purchase, in periods (days or weeks).
//     Purchases on the same calendar day count once, as in Fader, Hardie &
//     Lee (2005a) and BTYD's dc.ElogToCbsCbt (weeks are days/7).
//   - bgnbd.go: the BG/NBD purchase-and-dropout model, Fader, P. S., Hardie,
//     B. G. S. & Lee, K. L. (2005a), "Counting your customers the easy way:
//     an alternative to the Pareto/NBD model", Marketing Science 24(2),
//     275–284 (and the note "Implementing the BG/NBD model for customer base
//     analysis in Excel", Hardie 2005). Parameters r, α, a, b; per customer
//     P(alive) and the conditional expected number of purchases in the next
//     t periods (eq. 10); the unconditional E[X(t)] (eq. 9).
//   - gammagamma.go: the Gamma-Gamma model of the mean transaction value,
//     Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b), "RFM and CLV:
//     using iso-value curves for customer base analysis", Journal of
//     Marketing Research 42(4), 415–430, and Fader & Hardie (2013), "The
//     Gamma-Gamma model of monetary value". Parameters p, q, γ; the
//     conditional expected average order value.
//   - value.go: lifetime value over a horizon, the discounted sum of the
//     expected purchases in each step times the expected order value
//     (the formula of the Python package lifetimes' customer_lifetime_value).
//
// fit.go holds the optimiser driver and FitSettings, hypergeo.go the
// ₂F₁ series, errors.go the typed "not computed" error, chunks.go the
// BG/NBD log-likelihood summed in fixed pieces across FitSettings.Workers
// (the same fit whatever their number).
//
// Both models are fitted by maximum likelihood with gonum/optimize (BFGS on
// the logarithms of the parameters, so they stay positive) with analytic
// gradients; log-likelihoods are computed in log space with lnΓ and lnB. The
// Gaussian hypergeometric function of eq. 10 is summed by this package after
// Euler's transformation (see hypergeo.go), which is finite and accurate for
// every argument the model produces, including a = 1.
//
// The published CDNOW results (1/10 sample, 2,357 customers, weeks,
// calibration up to 1997-09-30) are reproduced by the tests: BG/NBD
// r = 0.243, α = 4.414, a = 0.793, b = 2.426, log-likelihood −9582.4;
// Gamma-Gamma p = 6.25, q = 3.74, γ = 15.44 (Fader & Hardie 2001,
// Interfaces 31(3), for the data).
//
// Error policy: programmer errors (negative times, t_x > T) panic with a
// "clv: " prefix. Data that cannot support a fit — too few customers or
// repeat customers, too short a history, an optimiser that does not
// converge, parameters that run to the boundary, a non-finite result, a
// Gamma-Gamma fit that contradicts the observed mean spend — give
// a *NotComputedError whose message is "clv: <model> not computed: <reason>"
// and which matches one of the sentinel errors ErrTooFewRepeat,
// ErrShortHistory, ErrNoConvergence, ErrNonFinite and ErrPoorFit with
// errors.Is. No
// function returns NaN or ±Inf for valid fitted parameters.
package clv
