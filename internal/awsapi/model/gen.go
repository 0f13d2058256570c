package model

// The embedded models (cognito-idp.json, cognito-identity.json, iam.json, sts.json) are
// extracts of botocore's copies of AWS's models, written by ../modelgen. They are committed so
// that `go generate ./...` (which writes the Go shapes from them) needs neither botocore nor
// python; after a botocore update, refresh them from the repository root with
//
//	go run ./internal/awsapi/modelgen -refresh
//
// and then run go generate ./... . The validation error code of each service is recorded in
// its extract (modelgen's models table says where each comes from).
