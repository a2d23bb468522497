"""What people run by hand: drafting a codebook from an export, and the knowledge it draws on."""
