"""Questionnaires of a consultation: questions, anonymous answers, results and cross-tabulations."""
