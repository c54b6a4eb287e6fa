from flask import Blueprint

bp = Blueprint("manifesto", __name__)
