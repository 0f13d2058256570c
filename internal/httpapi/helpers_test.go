package httpapi

import "github.com/gatehouse/gatehouse/internal/gateway"

var gatewayFunctionError = gateway.FunctionError{Type: "Unhandled", Payload: []byte(`{"errorType":"Error","errorMessage":"boom"}`)}
