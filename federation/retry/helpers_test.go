package retry_test

import "github.com/fedwasm/fedwasm/federation/errcode"

func errField(err error) any { return errcode.As(err, "").Details["field"] }
