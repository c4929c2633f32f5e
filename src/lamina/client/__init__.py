"""lamina.client"""
