"""lms-mockserver: a stateful mock of the Titus Connect, Litmos and TeSLA CE LMS APIs."""

__version__ = "0.1.0"
