"""Proposing claims for a text nobody has curated (candidates, numbers, rules.yaml),
reviewing them into a claims file, scoring them. Imports: corpus."""
