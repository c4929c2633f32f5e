"""One folder per SQL dialect (sqlite/, postgres/, mysql/) behind `base.Dialect`."""
