"""`build.py new`: print a jurisdiction, event or case for the editor to paste, its fields to fill marked."""
