package data

import "strings"

// isoCodes are the ISO 4217 currency codes a number may be written with
// ("USD 12.50", "12,50 EUR"): the current ones (ISO 4217 list one, 2025,
// without XTS and XXX, which name no currency) and those that older
// exports still hold (the currencies the euro replaced, and codes retired
// by redenominations since 1999), with three codes in common use beside
// them (RMB, CNH for the yuan, NTD for the Taiwan dollar). Three capital
// letters that are not
// among them ("SKU29", "INV1001", "12 PCS") are not a currency, and such
// a value is not a number.
var isoCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(`
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV
BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE
CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD
KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN
MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS
TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST
XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG
ZWL
ATS BEF CYP DEM EEK ESP FIM FRF GRD IEP ITL LTL LUF LVL MTL NLG PTE SIT SKK
BYR GHC MRO MZM ROL STD TRL VEB VEF ZMK ZWD
RMB CNH NTD`) {
		m[c] = true
	}
	return m
}()
