"""Proposing claims for a text nobody has curated (candidates, numbers, proposals, proposing, rules.yaml),
reviewing them into a claims file, scoring them. Imports: corpus."""
