package userpool

import "testing"

func TestUsersMaskDestination(t *testing.T) {
	tests := []struct{ medium, in, want string }{
		{"EMAIL", "alice@example.com", "a***@e***"},
		{"EMAIL", "todone_test@yahoo.co.jp", "t***@y***"},
		{"EMAIL", "ü@ö.de", "ü***@ö***"},
		{"EMAIL", "weird", "w***"},
		{"SMS", "+12065551234", "+*******1234"},
		{"SMS", "+1234", "+1234"},
		{"SMS", "123", "***"},
	}
	for _, tt := range tests {
		if got := maskDestination(tt.medium, tt.in); got != tt.want {
			t.Errorf("maskDestination(%s, %q) = %q, want %q", tt.medium, tt.in, got, tt.want)
		}
	}
}

func TestUsersMessageTemplates(t *testing.T) {
	p := &pool{}
	if s, b := p.verificationMessage("EMAIL"); s != "Your verification code" || b != "Your verification code is {####}. " {
		t.Errorf("default verification = %q, %q", s, b)
	}
	if s, b := p.invitationMessage("EMAIL"); s != "Your temporary password" || b != "Your username is {username} and temporary password is {####}. " {
		t.Errorf("default invitation = %q, %q", s, b)
	}
	p.spec.EmailVerificationMessage = "Code: {####}"
	p.spec.VerificationMessageTemplate = &VerificationMessageTemplateType{SmsMessage: "SMS {####}"}
	if _, b := p.verificationMessage("EMAIL"); b != "Code: {####}" {
		t.Errorf("legacy email template = %q", b)
	}
	if _, b := p.verificationMessage("SMS"); b != "SMS {####}" {
		t.Errorf("sms template = %q", b)
	}
	if got := renderMessage("Hi {username}, {####} / {####}", "zoe", "123456"); got != "Hi zoe, 123456 / 123456" {
		t.Errorf("renderMessage = %q", got)
	}
}
