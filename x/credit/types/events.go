package types

// Reasons carried by EventScoreChanged, one per hook.
const (
	ReasonActivity        = "activity"
	ReasonRepaymentOnTime = "repayment_on_time"
	ReasonRepaymentLate   = "repayment_late"
	ReasonDefault         = "default"
	ReasonTrade           = "trade"
	ReasonFraudFlag       = "fraud_flag"
	ReasonRejection       = "application_rejected"
)
