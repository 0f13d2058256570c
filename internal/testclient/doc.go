// Package testclient owns one decision for every test that drives a client nobody here wrote
// (the AWS CLI, node and the npm clients in cmd/gatehouse/testdata/js) or a server nobody here
// wrote (PostgreSQL): run the test when the client is there, skip it with one line naming
// what to install when it is not, and fail instead of skipping under GATEHOUSE_REQUIRE_CLIENTS=1.
//
// A developer with only Go can run `go test -race ./...` and see each skip say what to install;
// CI (.ci/run) sets GATEHOUSE_REQUIRE_CLIENTS=1, so it can never pass by skipping these tests.
//
// It is imported by tests and test-support packages only. It never installs anything, never
// downloads, and never reads any environment variable but PATH (through exec.LookPath),
// GATEHOUSE_REQUIRE_CLIENTS and GATEHOUSE_TEST_POSTGRES.
package testclient
