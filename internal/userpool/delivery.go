package userpool

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/internal/store"
)

// Messages a pool sends: codes and invitations, rendered from the pool's templates and
// handed to the Service's Deliverer (package mail's outbox and SMTP client in Gatehouse).

// Message templates (API reference: VerificationMessageTemplateType, MessageTemplateType,
// CreateUserPool's EmailVerificationMessage/Subject and SmsVerificationMessage). Pools get
// Cognito's default texts filled in when they are created (pools_defaults.go); the same
// defaults apply here to a pool stored without them.

// verificationMessage returns the subject and body template of a code message (sign-up
// confirmation, attribute verification and forgot password all use it). A pool set to
// CONFIRM_WITH_LINK still gets a code: Gatehouse has no link-confirmation endpoint.
func (p *pool) verificationMessage(medium string) (subject, body string) {
	t := p.spec.VerificationMessageTemplate
	if t == nil {
		t = &VerificationMessageTemplateType{}
	}
	if medium == "SMS" {
		return "", firstNonEmpty(t.SmsMessage, p.spec.SmsVerificationMessage, poolDefaultVerifyMessage)
	}
	return firstNonEmpty(t.EmailSubject, p.spec.EmailVerificationSubject, poolDefaultVerifySubject),
		firstNonEmpty(t.EmailMessage, p.spec.EmailVerificationMessage, poolDefaultVerifyMessage)
}

// invitationMessage returns the subject and body template of an AdminCreateUser invitation.
func (p *pool) invitationMessage(medium string) (subject, body string) {
	var t MessageTemplateType
	if p.spec.AdminCreateUserConfig != nil && p.spec.AdminCreateUserConfig.InviteMessageTemplate != nil {
		t = *p.spec.AdminCreateUserConfig.InviteMessageTemplate
	}
	if medium == "SMS" {
		return "", firstNonEmpty(t.SMSMessage, poolDefaultInviteMessage)
	}
	return firstNonEmpty(t.EmailSubject, poolDefaultInviteSubject), firstNonEmpty(t.EmailMessage, poolDefaultInviteMessage)
}

// renderMessage fills the {username} and {####} placeholders.
func renderMessage(tmpl, username, code string) string {
	return strings.NewReplacer("{username}", username, "{####}", code).Replace(tmpl)
}

func firstNonEmpty(v ...string) string { return poolFirstNonEmpty(v...) }

// mediumFor is the delivery medium of a contact attribute.
func mediumFor(attrName string) string {
	if attrName == "phone_number" {
		return "SMS"
	}
	return "EMAIL"
}

// maskDestination hides a destination the way Cognito's CodeDeliveryDetails do: an email keeps
// the first character of its local part and of its domain ("a***@e***", as captured SignUp
// responses show), a phone number keeps "+" and its last four digits ("+*******1234").
func maskDestination(medium, dest string) string {
	if medium == "SMS" {
		r := []rune(dest)
		if len(r) <= 4 {
			return strings.Repeat("*", len(r))
		}
		keep := r[len(r)-4:]
		prefix := ""
		if r[0] == '+' {
			prefix, r = "+", r[1:]
		}
		return prefix + strings.Repeat("*", len(r)-4) + string(keep)
	}
	local, domain, ok := cutLast(dest, "@")
	if !ok {
		return firstRune(dest) + "***"
	}
	return firstRune(local) + "***@" + firstRune(domain) + "***"
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// sendMessage sends one message for user u of pool p through the Service's Deliverer and
// returns the CodeDeliveryDetails the API answers with. attrName is the contact attribute
// ("email" or "phone_number") and dest its value.
func (s *Service) sendMessage(ctx context.Context, p *pool, u store.User, attrName, dest, subject, body string) (*CodeDeliveryDetailsType, error) {
	medium := mediumFor(attrName)
	m := store.Message{PoolID: p.rec.ID, Username: u.Username, Medium: medium, Destination: dest,
		Subject: subject, Body: body, CreatedAt: s.nowUTC()}
	if s.deliver == nil {
		s.log.Warn("no deliverer configured; message dropped", "pool", p.rec.ID, "username", u.Username, "medium", medium)
	} else if err := s.deliver.Deliver(ctx, m); err != nil {
		return nil, fmt.Errorf("deliver %s message: %w", medium, err)
	}
	return &CodeDeliveryDetailsType{Destination: maskDestination(medium, dest), DeliveryMedium: medium, AttributeName: attrName}, nil
}

// sendCodeMessage issues a code for purpose and sends it with the pool's verification
// template to the contact attribute attrName (value dest).
func (s *Service) sendCodeMessage(ctx context.Context, p *pool, u store.User, purpose string, ttl time.Duration, attrName, dest string) (*CodeDeliveryDetailsType, error) {
	code, err := s.issueCode(ctx, p.rec.ID, u.UsernameKey, purpose, ttl)
	if err != nil {
		return nil, err
	}
	subject, tmpl := p.verificationMessage(mediumFor(attrName))
	return s.sendMessage(ctx, p, u, attrName, dest, subject, renderMessage(tmpl, u.Username, code))
}
