"""Analysis stages: sentences, entities, dates, quantities, attributions, modality and claims."""
