"""The sampling page's sections (plans, one-off sample, notable conversations, goals), one
module each, and the words and widgets they share."""
