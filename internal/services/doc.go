// Package services builds the graph of Gatehouse's AWS services over one store: the token
// issuer, the outbox, user pools, identity pools, IAM (credentials, principals, admin
// authentication, the IAM API) and the stack deployer on them, so that `gatehouse serve`
// and the commands that work on the store directly (outputs, remove, users) wire them the
// same way.
//
// It owns the order in which the services are built and what each is given. It never
// parses flags, never listens on a socket, never opens or closes the store (its caller
// does), and holds no state of its own beyond the services it built.
package services
